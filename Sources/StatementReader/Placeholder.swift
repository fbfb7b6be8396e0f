// The statement reader (libxml2) lives here.

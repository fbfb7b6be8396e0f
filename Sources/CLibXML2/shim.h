// libxml2 for Swift. Debian builds libxml2 with ICU, and libxml/encoding.h then includes the
// system's unicode/*.h, which clash with Foundation's own ICU module in the same Swift module.
// Undefining LIBXML_ICU_ENABLED after xmlversion.h keeps those headers out. Never read the
// fields of xmlCharEncodingHandler: its layout depends on that macro.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

import Foundation

/// A signed-in user of the web application: who (the API key they signed in with, never shown
/// again), the token every form of theirs carries, and when the session ends.
struct WebSession: Sendable {
    let id: String
    let caller: APIKeys.Key
    /// Sent in a hidden field of every form and compared on every POST: a page of another site
    /// cannot know it, so it cannot submit a form in the user's name.
    let csrfToken: String
    let signedInAt: Date
    var lastSeen: Date
}

/// The web application's sessions, held in memory: a restart signs everyone out. A session ends
/// after `idleTimeout` without a request, or `maximumAge` after sign-in whatever the activity;
/// at most `capacity` are held (the least recently used goes first), so a flood of sign-ins
/// cannot exhaust memory.
actor WebSessions {
    let idleTimeout: TimeInterval
    let maximumAge: TimeInterval
    let capacity: Int
    private var sessions: [String: WebSession] = [:]

    init(idleTimeout: TimeInterval = 2 * 3600, maximumAge: TimeInterval = 12 * 3600, capacity: Int = 10_000) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
        self.capacity = capacity
    }

    /// A new session for `caller`, signed in at `now`.
    func open(for caller: APIKeys.Key, now: Date = Date()) -> WebSession {
        if sessions.count >= capacity {
            expire(now: now)
            while sessions.count >= capacity, let oldest = sessions.values.min(by: { $0.lastSeen < $1.lastSeen }) {
                sessions[oldest.id] = nil
            }
        }
        let session = WebSession(id: Self.token(), caller: caller, csrfToken: Self.token(), signedInAt: now, lastSeen: now)
        sessions[session.id] = session
        return session
    }

    /// The session `id` names, still valid at `now` (and kept alive by this request); nil otherwise.
    func session(_ id: String, now: Date = Date()) -> WebSession? {
        guard var session = sessions[id] else { return nil }
        guard now.timeIntervalSince(session.lastSeen) < idleTimeout, now.timeIntervalSince(session.signedInAt) < maximumAge else {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = now
        sessions[id] = session
        return session
    }

    func close(_ id: String) { sessions[id] = nil }

    var count: Int { sessions.count }

    private func expire(now: Date) {
        sessions = sessions.filter { _, session in
            now.timeIntervalSince(session.lastSeen) < idleTimeout && now.timeIntervalSince(session.signedInAt) < maximumAge
        }
    }

    /// 32 random bytes from the system's generator, base64url without padding: not guessable.
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The cookies the web application sets and reads.
enum WebCookies {
    static let session = "creditrisk_session"
    static let language = "creditrisk_lang"

    /// The value of cookie `name` in a `Cookie` header, nil when absent.
    static func value(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A `Set-Cookie` value: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's
    /// page sends it), `Secure` when the service is reached over TLS.
    static func set(_ name: String, _ value: String, maxAge: Int, secure: Bool, httpOnly: Bool = true) -> String {
        var cookie = "\(name)=\(value); Path=/; Max-Age=\(maxAge); SameSite=Strict"
        if httpOnly { cookie += "; HttpOnly" }
        if secure { cookie += "; Secure" }
        return cookie
    }
}

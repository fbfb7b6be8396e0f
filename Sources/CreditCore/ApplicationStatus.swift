/// Where an account application stands: `pending` until the credit manager decides it.
public enum ApplicationStatus: String, Sendable, Codable, Hashable {
    case pending, approved, declined
}

/// The credit manager's verdict on an application.
public enum ApplicationVerdict: String, Sendable, Codable, Hashable {
    case approve, decline

    /// The status an application has once decided so.
    public var status: ApplicationStatus {
        switch self {
        case .approve: return .approved
        case .decline: return .declined
        }
    }
}

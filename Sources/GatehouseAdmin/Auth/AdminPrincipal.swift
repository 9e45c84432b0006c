/// Who is calling the admin API, mirroring the spec's row-level-security policies: admins
/// (`system_admin`, `api_admin`) manage everything; an API consumer sees only what it owns.
public enum AdminPrincipal: Sendable, Hashable {
    /// An administrator; `actor` is recorded on every change it makes (`admin:bootstrap`, `jwt:alice`).
    case admin(actor: String, role: AdminRole)
    /// An API consumer acting for `ownerID` (its key's `owner_id` or its JWT's `sub`).
    case consumer(actor: String, ownerID: String)

    /// The name recorded as the actor of the events this caller causes.
    public var actor: String {
        switch self {
        case .admin(let actor, _), .consumer(let actor, _): actor
        }
    }

    /// The owner whose resources a consumer may see; `nil` for admins (they see everything).
    public var ownerScope: String? {
        if case .consumer(_, let ownerID) = self { return ownerID }
        return nil
    }

    /// `true` for the admin roles.
    public var isAdmin: Bool {
        if case .admin = self { return true }
        return false
    }
}

/// The spec's administrative roles.
public enum AdminRole: String, Sendable, Hashable, CaseIterable {
    case systemAdmin = "system_admin"
    case apiAdmin = "api_admin"
}

/// Who may call a route (`auth_requirements`): credentials required, any of `roles`, all of `scopes`.
public struct AuthRequirements: Codable, Sendable, Hashable {
    public var required: Bool
    public var roles: [String]
    public var scopes: [String]

    public init(required: Bool = false, roles: [String] = [], scopes: [String] = []) {
        self.required = required
        self.roles = roles
        self.scopes = scopes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        required = try container.decode(.required, default: false)
        roles = try container.decode(.roles, default: [])
        scopes = try container.decode(.scopes, default: [])
    }
}

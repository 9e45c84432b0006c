/// The values a matched request path gives its route template's parameters, read by position
/// from the path's segments when asked: a match stores nothing of its own (the template's
/// segments and the path's are already held), so a request whose parameters nobody reads pays
/// nothing for them.
public struct RouteParameters: Sendable {
    private let template: [RouteTemplate.Segment]
    /// The matched path.
    let path: PathSegments

    /// No parameters (no route matched yet).
    public static let none = RouteParameters(template: [], path: PathSegments(""))

    /// `path` matched `template` (see ``RouteTemplate/match(_:)``).
    init(template: [RouteTemplate.Segment], path: PathSegments) {
        self.template = template
        self.path = path
    }

    /// The value of the parameter `name` (`"*"`: the wildcard's tail, its segments joined by
    /// `/`); `nil` when the template has no such parameter.
    public subscript(name: String) -> Substring? {
        for (index, segment) in template.enumerated() {
            switch segment {
            case .parameter(let parameter) where parameter == name: return path[index]
            case .wildcard where name == "*": return Substring((min(index, path.count) ..< path.count).map { path[$0] }.joined(separator: "/"))
            default: continue
            }
        }
        return nil
    }

    /// Every parameter and its value.
    public var all: [String: String] {
        var all: [String: String] = [:]
        for segment in template {
            switch segment {
            case .parameter(let name): all[name] = self[name].map(String.init)
            case .wildcard: all["*"] = self["*"].map(String.init)
            case .literal: continue
            }
        }
        return all
    }
}

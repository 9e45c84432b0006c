import Foundation
import GatehouseCore
import Hummingbird
import NIOHTTP1

/// `POST /api/gateway/routes/{route_id}/test`: sends a synthetic request for the route through the
/// real proxy pipeline of this process — routing, balancing, breakers, retries, the upstream —
/// marked so it is neither recorded as traffic nor counted against limits, and reports the
/// spec's `TestRouteResponse`.
struct RouteTestEndpoints {
    let services: AdminServices
    let target: RouteTestTarget?

    func register(on routes: AdminRoutes) {
        routes.add(
            .post, "/api/gateway/routes/{route_id}/test", "Send a synthetic request through the live pipeline (not recorded, not rate limited)",
            tag: "routes", body: RouteTestRequest.schema
        ) { request, context in try await test(request, context) }
    }

    private func test(_ request: Request, _ context: AdminContext) async throws -> Response {
        let id: RouteID = try context.parameters.id("route_id", "route")
        let snapshot = services.engine.snapshot
        guard let route = services.state.routes[id] else { throw AdminError.notFound("route") }
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.allow(body, only: RouteTestRequest.fields)
        try JSONBody.require(body, ["method"])
        let test = try JSONBody.decode(RouteTestRequest.self, base: .emptyObject, patch: body)
        let method = test.method.uppercased()
        guard route.routeMethod == .any || route.routeMethod.rawValue == method || (route.routeMethod == .get && method == "HEAD") else {
            throw AdminError(.unprocessableContent, "invalid_field", "method: the route answers \(route.routeMethod.rawValue), not \(method)", field: "method")
        }
        guard let target else { throw AdminError(.serviceUnavailable, "proxy_unavailable", "this process runs no proxy listener to test through") }
        guard let gateway = snapshot.gateways.first(where: { $0.gateway.id == route.gatewayID }) else {
            throw AdminError(.conflict, "gateway_disabled", "the route's gateway is disabled, so the proxy serves none of its routes")
        }
        let head = try requestHead(for: route, test: test, method: method, gatewayHost: gateway.host, pathPrefix: gateway.pathPrefix, token: target.token)
        let payload: [UInt8] = switch test.body {
        case nil, .null?: []
        case .string(let text)?: Array(text.utf8)
        case let value?: Array(try JSONEncoder().encode(value))
        }
        let started = ContinuousClock.now
        let answer: LoopbackHTTPClient.Response
        do {
            answer = try await LoopbackHTTPClient.send(host: target.host, port: target.port, head: head, body: payload)
        } catch {
            throw AdminError(.badGateway, "route_test_failed", "the test request did not complete: \(error)")
        }
        let elapsed = ContinuousClock.now - started
        return try AdminResponse.json(report(answer, route: route, milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))
    }

    private func requestHead(
        for route: Route, test: RouteTestRequest, method: String, gatewayHost: String, pathPrefix: String, token: String
    ) throws -> HTTPRequestHead {
        let template: RouteTemplate
        do { template = try RouteTemplate(route.routePath) } catch { throw AdminError(.internalServerError, "internal_error", "\(error)") }
        var parameters = Dictionary(uniqueKeysWithValues: template.parameterNames.map { ($0, "test") })
        for (name, value) in test.pathParams ?? [:] {
            guard name == "*" || parameters[name] != nil else {
                throw AdminError(.badRequest, "unknown_field", "path_params.\(name): the route has no {\(name)}", field: "path_params.\(name)")
            }
            parameters[name] = name == "*" ? value.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/") : Self.encode(value)
        }
        var target = pathPrefix + template.render(parameters)
        if let query = test.queryParams, !query.isEmpty {
            target += "?" + query.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        }
        var headers = HTTPHeaders()
        for (name, value) in test.headers ?? [:] {
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }),
                  !value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                throw AdminError(.badRequest, "invalid_value", "headers.\(name): not a valid header field", field: "headers")
            }
            headers.add(name: name, value: value)
        }
        headers.replaceOrAdd(name: "Host", value: gatewayHost.isEmpty ? "localhost" : gatewayHost)
        headers.replaceOrAdd(name: "User-Agent", value: headers.first(name: "user-agent") ?? "gatehouse-route-test")
        headers.replaceOrAdd(name: AdminRequestFields.routeTest, value: token)
        if test.body != nil, !headers.contains(name: "content-type") { headers.add(name: "Content-Type", value: "application/json") }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target, headers: headers)
    }

    private func report(_ answer: LoopbackHTTPClient.Response, route: Route, milliseconds: Double) -> JSONValue {
        var headers: [String: JSONValue] = [:]
        for (name, value) in answer.headers where !name.lowercased().hasPrefix("x-gatehouse-") { headers[name.lowercased()] = .string(value) }
        let field = { (name: String) in answer.headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        var errors: [JSONValue] = []
        if let served = field("X-Gatehouse-Route"), served != route.id.description {
            errors.append(.string("the request was served by route \(served), which matches this path first"))
        }
        let body: JSONValue = (try? JSONDecoder().decode(JSONValue.self, from: Data(answer.body))) ?? .string(String(decoding: answer.body, as: UTF8.self))
        if answer.status >= 400, case .object(let object) = body, case .string(let message)? = object["error"] { errors.append(.string(message)) }
        if answer.truncated { errors.append("the response body was longer than 1 MiB; only the first MiB is shown") }
        let backend = [field("X-Backend-Service"), field("X-Gatehouse-Instance").map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        var report: [String: JSONValue] = [
            "status_code": .int(answer.status), "response_headers": .object(headers), "response_body": body,
            "response_time_ms": .number(milliseconds), "cache_status": .string(field("X-Cache")?.lowercased() ?? "none"),
            "backend_service_used": .string(backend),
        ]
        if !errors.isEmpty { report["errors"] = .array(errors) }
        return .object(report)
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&=+#"))) ?? text
    }
}

import Foundation

/// A request as the demo API sees it: the whole body already read.
struct DemoRequest {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [(name: String, value: String)]
    var body: Data
}

/// What the demo answers.
enum DemoReply {
    /// A complete response, with any extra fields.
    case complete(status: Int, contentType: String, body: Data, headers: [(String, String)] = [])
    /// Server-Sent Events: `count` events (0 = until the client leaves), one every `interval` ms.
    case events(count: Int, intervalMS: Int)
    /// `count` bytes of `x`, written as the client reads them.
    case bytes(count: Int)
    /// Close the connection without answering.
    case drop
}

/// The demo backend's endpoints. Paths are the upstream paths of `fixtures/wedsync.yaml`:
///
/// - `GET /health`
/// - `GET|POST /weddings`, `GET|PUT|DELETE /weddings/{id}`, `GET|POST /weddings/{id}/rsvps`,
///   `GET /weddings/{id}/events` (SSE), `GET /v2/weddings/{id}` (with a timeline)
/// - `GET /vendors`, `GET /vendors/{id}`, `GET /v2/vendors` (cursor pagination)
/// - `GET /live/events` (SSE), `GET /live/ws` (WebSocket echo), `/echo/…` (any method: what arrived, as JSON — a JSON
///   body under `json`), `GET /bytes/{n}`
/// - `GET|PUT /_demo/behaviour`: the failure switches; `GET /_demo/stats`: requests in flight and their peak
/// - `GET /cacheable/…`: caching fields chosen by the query, fetches counted (see ``DemoCacheable``)
/// - `GET /.well-known/jwks.json`: a JWK Set, replaced with `PUT /_demo/jwks`
/// - `POST /_demo/introspect`: token introspection (see ``DemoIntrospection``)
/// - `POST|GET /_demo/webhooks`: a webhook receiver (see ``DemoWebhooks``)
///
/// Per request, `?delay_ms=`, `?status=` and `?drop=1` override the switches.
struct DemoAPI {
    let instance: String
    let data: WeddingData
    let switches: DemoSwitches
    let load: DemoLoad
    let keySet: DemoKeySet
    let introspection: DemoIntrospection
    let cacheable: DemoCacheable
    let webhooks: DemoWebhooks

    func reply(to request: DemoRequest) -> DemoReply {
        let segments = request.path.split(separator: "/").map(String.init)
        switch (request.method, segments.first ?? "") {
        case (_, "health"):
            return json(200, ["status": "healthy", "instance": instance])
        case ("GET", "_demo") where segments.count > 1 && segments[1] == "stats":
            let (inFlight, peak) = load.snapshot
            let cached = cacheable.counts
            return json(200, [
                "in_flight": inFlight, "peak_in_flight": peak, "introspections": introspection.count,
                "cacheable_fetches": cached.byPath, "cacheable_not_modified": cached.notModified,
            ])
        case ("POST", "_demo") where segments.count > 1 && segments[1] == "introspect":
            let (status, body) = introspection.answer(request)
            return json(status, body)
        case ("PUT", "_demo") where segments.count > 1 && segments[1] == "jwks":
            guard (try? JSONSerialization.jsonObject(with: request.body)) is [String: Any] else { return error(422, "expected a JWK Set") }
            keySet.json = request.body
            return .complete(status: 200, contentType: "application/json", body: request.body)
        case ("GET", ".well-known") where segments.count > 1 && segments[1] == "jwks.json":
            return .complete(status: 200, contentType: "application/json", body: keySet.json)
        case (_, "_demo") where segments.count > 1 && segments[1] == "webhooks":
            return webhooks.reply(to: request)
        case (_, "_demo"):
            return behaviour(request)
        case (_, "echo"):
            return echo(request)
        case ("GET", "cacheable"), ("HEAD", "cacheable"):
            return cacheable.reply(to: request, instance: instance)
        case ("GET", "bytes"):
            return .bytes(count: segments.count > 1 ? Int(segments[1]) ?? 0 : 0)
        case ("GET", "live") where segments.count > 1 && segments[1] == "events":
            return events(request)
        case (_, "weddings"):
            return weddings(request, Array(segments.dropFirst()))
        case ("GET", "vendors"):
            return vendors(Array(segments.dropFirst()))
        case ("GET", "v2") where segments.count >= 2:
            return version2(request, Array(segments.dropFirst()))
        default:
            return error(404, "no such endpoint: \(request.method) \(request.path)")
        }
    }

    private func weddings(_ request: DemoRequest, _ rest: [String]) -> DemoReply {
        switch (request.method, rest.count) {
        case ("GET", 0):
            return encoded(200, ["weddings": data.weddings])
        case ("POST", 0):
            guard var wedding = try? decoder.decode(Wedding.self, from: withID(request.body, data.makeID("w"))) else {
                return error(422, "a wedding needs couple, date, venue and guest_count")
            }
            wedding.id = data.makeID("w")
            data.save(wedding)
            return encoded(201, wedding)
        case ("GET", 1):
            return data.wedding(rest[0]).map { encoded(200, $0) } ?? error(404, "wedding \(rest[0]) not found")
        case ("PUT", 1):
            guard data.wedding(rest[0]) != nil else { return error(404, "wedding \(rest[0]) not found") }
            guard let wedding = try? decoder.decode(Wedding.self, from: withID(request.body, rest[0])) else {
                return error(422, "a wedding needs couple, date, venue and guest_count")
            }
            data.save(wedding)
            return encoded(200, wedding)
        case ("DELETE", 1):
            return data.deleteWedding(rest[0]) ? .complete(status: 204, contentType: "application/json", body: Data()) : error(404, "wedding \(rest[0]) not found")
        case ("GET", 2) where rest[1] == "rsvps":
            return encoded(200, ["rsvps": data.rsvps(of: rest[0])])
        case ("POST", 2) where rest[1] == "rsvps":
            guard data.wedding(rest[0]) != nil else { return error(404, "wedding \(rest[0]) not found") }
            var body = (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]) ?? [:]
            body["id"] = data.makeID("r")
            body["wedding_id"] = rest[0]
            if body["plus_ones"] == nil { body["plus_ones"] = 0 }
            guard let normalised = try? JSONSerialization.data(withJSONObject: body),
                  let rsvp = try? decoder.decode(RSVP.self, from: normalised) else {
                return error(422, "an RSVP needs guest_name and attending")
            }
            data.add(rsvp)
            return encoded(201, rsvp)
        case ("GET", 2) where rest[1] == "events":
            return events(request)
        default:
            return error(405, "\(request.method) is not supported here")
        }
    }

    private func vendors(_ rest: [String]) -> DemoReply {
        guard let id = rest.first else { return encoded(200, ["vendors": data.vendors]) }
        return data.vendors.first { $0.id == id }.map { encoded(200, $0) } ?? error(404, "vendor \(id) not found")
    }

    private func version2(_ request: DemoRequest, _ rest: [String]) -> DemoReply {
        switch rest.first {
        case "weddings" where rest.count == 2:
            guard let wedding = data.wedding(rest[1]) else { return error(404, "wedding \(rest[1]) not found") }
            struct WeddingV2: Encodable { let wedding: Wedding; let timeline: [String] }
            return encoded(200, WeddingV2(wedding: wedding, timeline: ["14:00 ceremony", "16:00 reception", "19:00 dinner"]))
        case "vendors" where rest.count == 1:
            struct Page: Encodable { let vendors: [Vendor]; let nextCursor: String? }
            return encoded(200, Page(vendors: data.vendors, nextCursor: nil))
        default:
            return error(404, "no such endpoint: \(request.method) \(request.path)")
        }
    }

    private func events(_ request: DemoRequest) -> DemoReply {
        .events(count: Int(request.query["count"] ?? "") ?? 5, intervalMS: Int(request.query["interval_ms"] ?? "") ?? 1000)
    }

    private func echo(_ request: DemoRequest) -> DemoReply {
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers { headers[name.lowercased(), default: []].append(value) }
        var echoed: [String: Any] = [
            "method": request.method, "path": request.path, "query": request.query, "headers": headers,
            "body_bytes": request.body.count, "instance": instance,
        ]
        if let body = try? JSONSerialization.jsonObject(with: request.body) { echoed["json"] = body }
        return json(200, echoed)
    }

    private func behaviour(_ request: DemoRequest) -> DemoReply {
        if request.method == "PUT" {
            guard let behaviour = try? JSONDecoder().decode(DemoBehaviour.self, from: request.body) else {
                return error(422, "expected {\"latency_ms\", \"error_rate\", \"drop_rate\"}")
            }
            switches.behaviour = behaviour
        }
        return (try? JSONEncoder().encode(switches.behaviour)).map { .complete(status: 200, contentType: "application/json", body: $0) }
            ?? error(500, "cannot encode the behaviour")
    }

    private var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    private func withID(_ body: Data, _ id: String) -> Data {
        guard var object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return body }
        object["id"] = id
        return (try? JSONSerialization.data(withJSONObject: object)) ?? body
    }

    private func encoded(_ status: Int, _ value: some Encodable) -> DemoReply {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        guard let body = try? encoder.encode(value) else { return error(500, "cannot encode the response") }
        return .complete(status: status, contentType: "application/json", body: body)
    }

    private func json(_ status: Int, _ object: [String: Any]) -> DemoReply {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: .sortedKeys)) ?? Data()
        return .complete(status: status, contentType: "application/json", body: body)
    }

    func error(_ status: Int, _ message: String) -> DemoReply {
        json(status, ["error": message, "instance": instance])
    }
}

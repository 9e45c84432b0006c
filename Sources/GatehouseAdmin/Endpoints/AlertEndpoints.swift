import EventLog
import GatehouseCore
import Hummingbird

/// `GET /api/gateway/alerts`: the alerts firing now (from the projected state) and the latest
/// raise and resolve events, newest first, from the log.
struct AlertEndpoints {
    let services: AdminServices

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/api/gateway/alerts", "Active alerts and the latest alert events (?limit=, default 50)", tag: "analytics") { request, _ in
            let limit = try request.uri.queryParameters.get("limit").map { text -> Int in
                guard let value = Int(text), (1 ... 500).contains(value) else {
                    throw AdminError(.badRequest, "invalid_value", "limit: a number from 1 to 500", field: "limit")
                }
                return value
            } ?? 50
            let active = services.state.activeAlerts.values.sorted { $0.alertID < $1.alertID }.map(Self.view)
            var recent: [JSONValue] = []
            let kinds: Set<UInt16> = [ControlEventKind.alertRaised.rawValue, ControlEventKind.alertResolved.rawValue]
            try services.log.scanBackward(.control, before: .max) { record in
                guard kinds.contains(record.kind) else { return true }
                let event = try ControlEvent(record)
                let time = Timestamp(microseconds: record.timestamp)
                switch event {
                case .alertRaised(let notice): recent.append(Self.view(notice).adding(["event": "raised", "time": .string(time.rfc3339)]))
                case .alertResolved(let notice): recent.append(Self.view(notice).adding(["event": "resolved", "time": .string(time.rfc3339)]))
                default: break
                }
                return recent.count < limit
            }
            return try AdminResponse.json(["active": .array(active), "recent": .array(recent)] as JSONValue)
        }
    }

    private static func view(_ notice: AlertNotice) -> JSONValue {
        ["alert_id": .string(notice.alertID), "rule": .string(notice.rule), "severity": .string(notice.severity), "message": .string(notice.message)]
    }
}

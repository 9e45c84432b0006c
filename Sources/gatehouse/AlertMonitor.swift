import Dispatch
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseProxy
import Synchronization

/// Evaluates every gateway's alert rules every `interval` (see ``AlertEvaluation``): a newly
/// firing alert is recorded as `AlertRaised` and sent to the gateway's webhooks, one that stopped
/// firing as `AlertResolved`. The active alerts start from the log, so a restart neither repeats
/// nor forgets an open incident.
final class AlertMonitor: Sendable {
    private let engine: GatehouseEngine
    private let worker: EngineWorker
    private let metrics: MetricsProjection
    private let health: @Sendable () -> [BackendServiceID: HealthObservation]
    private let webhooks: WebhookDelivery
    private let active: Mutex<[String: AlertNotice]>
    private let task = Mutex<PeriodicTask?>(nil)

    init(
        engine: GatehouseEngine, worker: EngineWorker, metrics: MetricsProjection, health: @escaping @Sendable () -> [BackendServiceID: HealthObservation],
        webhooks: WebhookDelivery, intervalSeconds: Int
    ) {
        self.engine = engine
        self.worker = worker
        self.metrics = metrics
        self.health = health
        self.webhooks = webhooks
        active = Mutex(engine.state.activeAlerts)
        let task = PeriodicTask(label: "gatehouse.alerts", intervalSeconds: intervalSeconds, errorEvent: "alert_error") { [self] in
            try evaluate(now: .now())
        }
        self.task.withLock { $0 = task }
    }

    func shutdown() {
        task.withLock { $0 }?.shutdown()
    }

    private func evaluate(now: Timestamp) throws {
        let state = engine.state
        let healthy = health().mapValues(\.healthy)
        var firing: [String: (AlertNotice, Gateway)] = [:]
        let gateways = state.gateways.values.filter { $0.isEnabled && !($0.alerting?.rules.isEmpty ?? true) }
        try metrics.read { buckets in
            for gateway in gateways {
                for notice in AlertEvaluation.firing(
                    gateway: gateway, rules: gateway.alerting?.rules ?? [], buckets: buckets, health: healthy, state: state, now: now
                ) { firing[notice.alertID] = (notice, gateway) }
            }
        }
        let (raised, resolved) = active.withLock { active -> ([(AlertNotice, Gateway)], [AlertNotice]) in
            let raised = firing.filter { active[$0.key] == nil }.map(\.value)
            let resolved = active.filter { firing[$0.key] == nil }.map(\.value)
            for (notice, _) in raised { active[notice.alertID] = notice }
            for notice in resolved { active[notice.alertID] = nil }
            return (raised, resolved)
        }
        guard !raised.isEmpty || !resolved.isEmpty else { return }
        worker.record(raised.map { .alertRaised($0.0) } + resolved.map { .alertResolved($0) })
        for (notice, gateway) in raised { send(notice, event: "alert.raised", gateway: gateway, at: now) }
        for notice in resolved {
            let gatewayID = notice.alertID.split(separator: "/").first.flatMap { GatewayID(String($0)) }
            if let gateway = gatewayID.flatMap({ state.gateways[$0] }) { send(notice, event: "alert.resolved", gateway: gateway, at: now) }
        }
    }

    private func send(_ notice: AlertNotice, event: String, gateway: Gateway, at time: Timestamp) {
        let payload: JSONValue = [
            "event": .string(event), "alert_id": .string(notice.alertID), "rule": .string(notice.rule), "severity": .string(notice.severity),
            "message": .string(notice.message), "gateway": .string(gateway.name), "time": .string(time.rfc3339),
        ]
        guard let body = try? JSONEncoder().encode(payload) else { return }
        for url in gateway.alerting?.webhooks ?? [] { webhooks.post(Array(body), to: url) }
    }
}

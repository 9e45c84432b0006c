import Foundation
import GatehouseCore
import NIOCore

extension ProxyHandler {
    /// Applies the route's `auth_requirements`; an allowed request goes on to the route's next
    /// steps (``proceed(_:route:snapshot:gateway:)``) — at once for API keys, JWTs and cached
    /// introspection answers, or when the authorization server answered for an opaque token (the
    /// request waits; its body keeps buffering meanwhile). A refusal is answered here (401/403,
    /// or 503 when the token cannot be checked).
    func authorize(_ exchange: Exchange, for entry: RouteTable.Entry, snapshot: ConfigSnapshot, gateway: ConfigSnapshot.GatewayView) {
        let next = Next(entry: entry, snapshot: snapshot, gateway: gateway)
        let credential = PresentedCredential.find(in: exchange.head.headers)
        let requirements = entry.route.authRequirements
        if let credential, credential.field == .authorizationBearer {
            if !(gateway.gateway.jwtConfig?.providers.isEmpty ?? true), JWTVerifier.looksLikeJWT(credential.secret) {
                let keys = loop.jwtKeys.current.keysByGateway[gateway.gateway.id] ?? []
                let verified = JWTVerifier.verify(credential.secret, keys: keys, now: exchange.startTime)
                if case .failure(let rejection) = verified, rejection.unknownKey { loop.jwtKeys.requestRefresh() }
                return apply(RouteAccessPolicy.decide(requirements: requirements, token: verified), exchange, credential, next)
            }
            if let introspection = gateway.gateway.oauthIntrospection, snapshot.apiKeysByHash[APIKeyHash.hash(credential.secret)] == nil {
                return introspect(credential, with: introspection, exchange, requirements, next)
            }
        }
        let decision = RouteAccessPolicy.decide(
            requirements: requirements, credential: credential, origin: exchange.head.headers.first(name: "origin"),
            keysByHash: snapshot.apiKeysByHash, now: exchange.startTime
        )
        apply(decision, exchange, credential, next)
    }

    /// Where an allowed request goes on: its route, on the snapshot and gateway it was routed with.
    private struct Next {
        let entry: RouteTable.Entry
        let snapshot: ConfigSnapshot
        let gateway: ConfigSnapshot.GatewayView
    }

    /// An opaque bearer token: the cached answer, or a question to the authorization server.
    private func introspect(
        _ credential: PresentedCredential, with config: OAuthIntrospection, _ exchange: Exchange, _ requirements: AuthRequirements,
        _ next: Next
    ) {
        let now = exchange.startTime
        if let cached = loop.introspections.verdict(for: credential.secret, now: now.microseconds) {
            return apply(RouteAccessPolicy.decide(requirements: requirements, token: cached.identity), exchange, credential, next)
        }
        guard let secret = ProcessEnvironment.value(config.clientSecretEnv), !secret.isEmpty else {
            return fail(exchange, with: .introspectionUnavailable("the client secret (\(config.clientSecretEnv)) is not set"), closing: false)
        }
        let cache = loop.introspections
        TokenIntrospection.introspect(credential.secret, with: config, secret: secret, now: now, tls: loop.upstreamTLS, on: loop.eventLoop)
            .assumeIsolated()
            .whenComplete { [self] result in
                guard self.exchange === exchange, !exchange.responseStarted else { return }
                switch result {
                case .success(let verdict):
                    cache.store(verdict, for: credential.secret, now: now.microseconds)
                    apply(RouteAccessPolicy.decide(requirements: requirements, token: verdict.identity), exchange, credential, next)
                case .failure(let error):
                    fail(exchange, with: .introspectionUnavailable("\(error)"), closing: false)
                }
            }
    }

    private func apply(_ decision: AccessDecision, _ exchange: Exchange, _ credential: PresentedCredential?, _ next: Next) {
        switch decision {
        case .allow(let key):
            exchange.keep(apiKey: key)
            exchange.credentialField = key == nil ? nil : credential?.field
            proceed(exchange, route: next.entry, snapshot: next.snapshot, gateway: next.gateway)
        case .allowToken(let identity):
            exchange.token = identity
            proceed(exchange, route: next.entry, snapshot: next.snapshot, gateway: next.gateway)
        case .deny(let denial):
            exchange.errorMessage = denial.keyPrefix.map { "\(denial.reason.rawValue) (key \($0)): \(denial.message)" }
                ?? "\(denial.reason.rawValue): \(denial.message)"
            fail(exchange, with: .accessDenied(denial, realm: next.gateway.gateway.name), closing: false)
        }
    }
}

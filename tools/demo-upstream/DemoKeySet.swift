import Foundation
import Synchronization

/// A JWK Set the demo publishes at `GET /.well-known/jwks.json`, replaced with
/// `PUT /_demo/jwks` — an identity provider's key endpoint for tests of `jwks_url`.
final class DemoKeySet: Sendable {
    private let document = Mutex(Data(#"{"keys":[]}"#.utf8))

    var json: Data {
        get { document.withLock { $0 } }
        set { document.withLock { $0 = newValue } }
    }
}

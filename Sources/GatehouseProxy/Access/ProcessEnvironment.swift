#if canImport(Glibc)
import Glibc
#endif

/// One environment variable of the gateway process, read without copying the whole environment
/// (secrets named by `secret_env` fields are read on the request path).
enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

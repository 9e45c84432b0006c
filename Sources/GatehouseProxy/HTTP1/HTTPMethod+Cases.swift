import NIOHTTP1

/// The methods the proxy asks about, matched by case. NIO's `HTTPMethod` is `RawRepresentable`,
/// and `method == .HEAD` resolves to the standard library's `==` for such types, which builds
/// and compares both methods' names — a measurable cost when every request asks several times.
extension HTTPMethod {
    var isGET: Bool {
        if case .GET = self { true } else { false }
    }

    var isHEAD: Bool {
        if case .HEAD = self { true } else { false }
    }

    var isOPTIONS: Bool {
        if case .OPTIONS = self { true } else { false }
    }

    var isCONNECT: Bool {
        if case .CONNECT = self { true } else { false }
    }
}

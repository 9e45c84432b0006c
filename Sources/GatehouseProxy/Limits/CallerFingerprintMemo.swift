import GatehouseCore

/// A limited caller's fingerprint, with the last client address's kept per client connection: a
/// connection's requests come from one address (or a few, behind a trusted proxy), and comparing
/// four or sixteen bytes costs less than hashing them twice with SipHash on every limited
/// request. Takes the caller's parts as they are, so that no ``LimitCaller`` is made (and copied)
/// on the way.
struct CallerFingerprintMemo {
    private var last: (address: ClientIP?, fingerprint: CallerFingerprint)?

    /// The fingerprint of the caller `LimitCaller(key:subject:clientIP:)` names.
    mutating func fingerprint(key: APIKeyID?, subject: String?, clientIP: ClientIP?) -> CallerFingerprint {
        if let key { return CallerFingerprint(.key(key)) }
        if let subject { return CallerFingerprint(.subject(subject)) }
        if let last, last.address == clientIP { return last.fingerprint }
        let fingerprint = CallerFingerprint(.address(clientIP))
        last = (clientIP, fingerprint)
        return fingerprint
    }
}

import GatehouseCore

/// The last client address's fingerprint, kept per client connection: a connection's requests
/// come from one address (or a few, behind a trusted proxy), and comparing four or sixteen bytes
/// costs less than hashing them twice with SipHash on every limited request.
struct AddressFingerprintMemo {
    private var last: (address: ClientIP?, fingerprint: CallerFingerprint)?

    /// `caller`'s fingerprint: an address's from the memo when it is the last one seen.
    mutating func fingerprint(of caller: LimitCaller) -> CallerFingerprint {
        guard case .address(let address) = caller else { return CallerFingerprint(caller) }
        if let last, last.address == address { return last.fingerprint }
        let fingerprint = CallerFingerprint(caller)
        last = (address, fingerprint)
        return fingerprint
    }
}

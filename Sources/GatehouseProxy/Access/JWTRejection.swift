/// Why a JWT was not accepted (the message goes to the client and the outcome).
struct JWTRejection: Error, Equatable {
    let message: String
    /// No key matched the token's `kid`/`alg`: the issuer may have rotated its keys.
    let unknownKey: Bool

    init(_ message: String, unknownKey: Bool = false) {
        self.message = message
        self.unknownKey = unknownKey
    }
}

/// Why a JWT was not accepted (the message goes to the client and the outcome).
struct JWTRejection: Error, Equatable {
    let message: String

    init(_ message: String) { self.message = message }
}

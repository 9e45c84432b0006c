/// One form in which hits send a stored response — as stored, gzip-coded or deflate-coded —
/// prepared by the first hit that needs it and shared, without a lock, by every hit after it:
/// the head encoded once (``EncodedHitHead``) and, in a content coding, the body coded once.
/// Its two references are held inline: a form is one allocation.
public final class HitForm: Sendable {
    public let head = OnceReference<EncodedHitHead>()
    public let codedBody = OnceReference<CodedBody>()

    public init() {}
}

/// The verdicts of one check, in the order of its rules: the first six kept inline — as many as
/// a caller's page holds (``CallerPage/capacity``), a premium policy's windows and a key's two
/// quotas — and any further ones in an array. A check of a plan that fits makes no allocation,
/// and a copy of its verdicts counts no reference (there is no array, not even an empty one).
struct LimitVerdicts: RandomAccessCollection, Sendable, Equatable {
    private var inline = InlineArray<6, LimitVerdict>(repeating: .unjudged)
    private var overflow: [LimitVerdict]?
    private(set) var endIndex = 0

    var startIndex: Int { 0 }

    subscript(position: Int) -> LimitVerdict {
        position < inline.count ? inline[position] : overflow![position - inline.count]
    }

    /// Adds the verdict of the next rule.
    mutating func append(_ verdict: LimitVerdict) {
        if endIndex < inline.count {
            inline[endIndex] = verdict
        } else if overflow == nil {
            overflow = [verdict]
        } else {
            overflow!.append(verdict)
        }
        endIndex += 1
    }

    static func == (left: LimitVerdicts, right: LimitVerdicts) -> Bool { left.elementsEqual(right) }
}

extension LimitVerdict {
    /// What an inline place holds before a verdict is stored in it.
    fileprivate static let unjudged = LimitVerdict(allowed: true, counted: 0, remaining: 0, retryAfterMicros: 0, resetMicros: 0, windowSeconds: 0)
}

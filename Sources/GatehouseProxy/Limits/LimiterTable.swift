/// One shard's limiter state: the callers' pages (``CallerPage``) stored densely, found through
/// a small open-addressing index (linear probing, at most half full) of 8-byte entries — a
/// 32-bit hash tag and the page's position — so the index of a whole shard stays in cache and
/// a check costs about one miss, on the caller's page, which holds all its rule states inline.
/// No pointer to chase, nothing allocated in the steady state, no page ever copied on a check.
/// The index doubles when half full; ``evict(idleBefore:)`` compacts the pages and rebuilds it.
/// Not thread-safe: each shard keeps its table behind a lock.
final class LimiterTable {
    /// Where one rule's state lives: a page's position and a slot in it.
    private struct SlotAddress {
        let page: Int
        let slot: Int
    }

    /// Entries: tag in the high 32 bits, page position + 1 in the low 32 bits; 0 when vacant.
    private var index: UnsafeMutablePointer<UInt64>
    private var indexCapacity: Int
    private var pages: UnsafeMutablePointer<CallerPage>
    private var pageCapacity: Int
    private var pageCount = 0
    /// Callers in the table (their first pages).
    private(set) var callers = 0

    init() {
        indexCapacity = 16
        index = Self.vacantIndex(indexCapacity)
        pageCapacity = 8
        pages = .allocate(capacity: pageCapacity)
    }

    deinit {
        index.deallocate()
        pages.deinitialize(count: pageCount)
        pages.deallocate()
    }

    /// Decides one request of `caller` against all `rules` at `now` (µs), giving their verdicts
    /// in order. A request counts only when every enforced rule admits it; a refusal changes
    /// nothing but the blocks it starts.
    func decide(_ rules: [LimitRuleSpec], caller: CallerFingerprint, now: Int64) -> LimitVerdicts {
        reserve(pages: rules.count / CallerPage.capacity + 1)
        var verdicts = LimitVerdicts()
        let first = position(of: caller, page: 0)
        // Judged in place; the states as they were are kept aside, to be put back (all but
        // the blocks a refusal starts) if an enforced rule refuses.
        withUnsafeTemporaryAllocation(of: SlotAddress.self, capacity: rules.count) { addresses in
            withUnsafeTemporaryAllocation(of: LimitState.self, capacity: rules.count) { before in
                var refused = false
                for index in rules.indices {
                    let rule = rules[index]
                    let address = locate(rule.number, of: caller, from: first, now: now)
                    addresses.initializeElement(at: index, to: address)
                    before.initializeElement(at: index, to: pages[address.page].slots[address.slot].state)
                    let verdict = pages[address.page].slots[address.slot].state.judge(rule, now: now)
                    if !verdict.allowed, rule.enforced { refused = true }
                    verdicts.append(verdict)
                }
                guard refused else { return }
                for index in 0 ..< rules.count {
                    let address = addresses[index]
                    var restored = before[index]
                    restored.blockedUntil = max(restored.blockedUntil, pages[address.page].slots[address.slot].state.blockedUntil)
                    pages[address.page].slots[address.slot].state = restored
                }
            }
        }
        return verdicts
    }

    /// Starts `caller`'s quota counter for `rule` at `count` in the period beginning at `periodStart`.
    func seedQuota(_ rule: UInt32, of caller: CallerFingerprint, periodStart: Int64, count: Int, now: Int64) {
        reserve(pages: 1)
        let address = locate(rule, of: caller, from: position(of: caller, page: 0), now: now)
        var quota = if case .quota(let quota) = pages[address.page].slots[address.slot].state.counter { quota } else { CalendarCounter() }
        quota.seed(periodStart: periodStart, count: count)
        pages[address.page].slots[address.slot].state.counter = .quota(quota)
    }

    /// Drops the pages no check visited since `cutoff` (µs), compacting the rest.
    func evict(idleBefore cutoff: Int64) {
        var kept = 0
        callers = 0
        for position in 0 ..< pageCount where pages[position].lastUsed >= cutoff {
            pages[kept] = pages[position]
            if pages[kept].number == 0 { callers += 1 }
            kept += 1
        }
        pageCount = kept
        var size = 16
        while size < kept * 3 { size *= 2 }
        rebuildIndex(capacity: size)
    }

    /// The slot for `rule` among `caller`'s pages (`first` is the position of page 0), taking a
    /// free one — on a new page when the caller's pages are full — the first time; marks the
    /// pages it visits as used at `now`.
    private func locate(_ rule: UInt32, of caller: CallerFingerprint, from first: Int, now: Int64) -> SlotAddress {
        var number: UInt32 = 0, page = first
        while true {
            pages[page].lastUsed = max(pages[page].lastUsed, now)
            if let slot = pages[page].slot(of: rule) { return SlotAddress(page: page, slot: slot) }
            let used = Int(pages[page].used)
            if used < CallerPage.capacity {
                pages[page].slots[used] = CallerPage.Slot(rule: rule)
                pages[page].used += 1
                return SlotAddress(page: page, slot: used)
            }
            number += 1
            page = position(of: caller, page: number)
        }
    }

    /// The position of `caller`'s page `number`, adding the page when there is none (room was
    /// reserved beforehand, so this never reallocates).
    private func position(of caller: CallerFingerprint, page number: UInt32) -> Int {
        let hash = Self.hash(caller, page: number)
        let tag = hash & 0xFFFF_FFFF_0000_0000, mask = indexCapacity - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while index[slot] != 0 {
            if index[slot] & 0xFFFF_FFFF_0000_0000 == tag {
                let position = Int(truncatingIfNeeded: index[slot] & 0xFFFF_FFFF) - 1
                if pages[position].number == number, pages[position].fingerprint == caller { return position }
            }
            slot = (slot + 1) & mask
        }
        let position = pageCount
        (pages + position).initialize(to: CallerPage(fingerprint: caller, number: number))
        pageCount += 1
        index[slot] = tag | UInt64(position + 1)
        if number == 0 { callers += 1 }
        return position
    }

    /// Makes sure `needed` more pages fit without reallocating and without the index passing
    /// half full.
    private func reserve(pages needed: Int) {
        if pageCount + needed > pageCapacity {
            var size = pageCapacity
            while pageCount + needed > size { size *= 2 }
            let grown = UnsafeMutablePointer<CallerPage>.allocate(capacity: size)
            grown.moveInitialize(from: pages, count: pageCount)
            pages.deallocate()
            (pages, pageCapacity) = (grown, size)
        }
        if (pageCount + needed) * 2 > indexCapacity {
            var size = indexCapacity
            while (pageCount + needed) * 2 > size { size *= 2 }
            rebuildIndex(capacity: size)
        }
    }

    /// Indexes every page afresh in an index of `capacity` entries (a power of two).
    private func rebuildIndex(capacity: Int) {
        index.deallocate()
        index = Self.vacantIndex(capacity)
        indexCapacity = capacity
        let mask = capacity - 1
        for position in 0 ..< pageCount {
            let hash = Self.hash(pages[position].fingerprint, page: pages[position].number)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while index[slot] != 0 { slot = (slot + 1) & mask }
            index[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(position + 1)
        }
    }

    private static func vacantIndex(_ capacity: Int) -> UnsafeMutablePointer<UInt64> {
        let index = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        index.initialize(repeating: 0, count: capacity)
        return index
    }

    /// A page's hash: the caller's spread for the first page, remixed for later ones.
    private static func hash(_ caller: CallerFingerprint, page: UInt32) -> UInt64 {
        page == 0 ? caller.spread : CallerFingerprint.mix(caller.spread &+ UInt64(page))
    }
}

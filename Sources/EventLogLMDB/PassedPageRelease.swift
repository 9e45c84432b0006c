/// A long read giving back the log's pages as it passes them: after every `interval` bytes of
/// records read, the data file's mappings are released (as in
/// ``LMDBEnvironment/releaseResidentPages()``), so a scan of the whole log keeps about
/// `interval` of it resident instead of all of it. Used inside one read transaction, during
/// which the map is not resized, so its ranges are looked up once, at the first release.
struct PassedPageRelease {
    private let environment: LMDBEnvironment
    private let interval: Int
    private var sinceRelease = 0
    private var mappings: [Range<UInt>]?

    init(environment: LMDBEnvironment, interval: Int) {
        self.environment = environment
        self.interval = interval
    }

    /// `count` more bytes of the log were read.
    mutating func passed(_ count: Int) {
        sinceRelease += count
        guard sinceRelease >= interval else { return }
        sinceRelease = 0
        let mappings = mappings ?? environment.dataFileMappings
        self.mappings = mappings
        LMDBEnvironment.releasePages(of: mappings)
    }
}

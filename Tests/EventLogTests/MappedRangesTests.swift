@testable import EventLogLMDB
import Testing

/// ``MappedRanges/parse(_:file:)``: which lines of a `/proc/<pid>/maps` listing map a file.
@Suite("Mapped ranges")
struct MappedRangesTests {
    @Test("every range mapping the file, in order; anonymous, special and other files' mappings are not")
    func rangesOfTheFile() {
        let maps = """
            55d0c0a00000-55d0c0a21000 r--p 00000000 08:01 1311 /usr/bin/gatehouse
            55d0c1e00000-55d0c1e42000 rw-p 00000000 00:00 0                          [heap]
            7f3a10000000-7f3a18000000 r--s 00000000 08:01 4242                       /var/lib/gatehouse/data.mdb
            7f3a18000000-7f3a18021000 rw-p 00000000 00:00 0 
            7f3a20000000-7f3a20400000 r--s 08000000 08:01 4242                       /var/lib/gatehouse/data.mdb
            7f3a30000000-7f3a30001000 rw-s 00000000 08:01 4243                       /var/lib/gatehouse/lock.mdb
            """
        #expect(MappedRanges.parse(maps, file: "/var/lib/gatehouse/data.mdb") == [0x7f3a_1000_0000 ..< 0x7f3a_1800_0000, 0x7f3a_2000_0000 ..< 0x7f3a_2040_0000])
        #expect(MappedRanges.parse(maps, file: "/var/lib/gatehouse/lock.mdb") == [0x7f3a_3000_0000 ..< 0x7f3a_3000_1000])
    }

    @Test("a path with spaces matches whole; a longer name, another directory or a deleted file does not")
    func exactPaths() {
        let maps = """
            7f0000000000-7f0000001000 r--s 00000000 08:01 1 /srv/wed sync/data.mdb
            7f0000001000-7f0000002000 r--s 00000000 08:01 2 /srv/wed sync/data.mdb.old
            7f0000002000-7f0000003000 r--s 00000000 08:01 3 /srv/wed/data.mdb
            7f0000003000-7f0000004000 r--s 00000000 08:01 4 /srv/wed sync/data.mdb (deleted)
            """
        #expect(MappedRanges.parse(maps, file: "/srv/wed sync/data.mdb") == [0x7f00_0000_0000 ..< 0x7f00_0000_1000])
    }

    @Test("lines that do not parse are skipped, not guessed at")
    func malformedLines() {
        let maps = """
            zz00-7f0000001000 r--s 00000000 08:01 1 /d/data.mdb
            7f0000002000-7f0000001000 r--s 00000000 08:01 1 /d/data.mdb
            7f0000003000 r--s 00000000 08:01 1 /d/data.mdb
            7f0000004000-7f0000005000 r--s 00000000 08:01 1 /d/data.mdb

            """
        #expect(MappedRanges.parse(maps, file: "/d/data.mdb") == [0x7f00_0000_4000 ..< 0x7f00_0000_5000])
        #expect(MappedRanges.parse("", file: "/d/data.mdb").isEmpty)
    }
}

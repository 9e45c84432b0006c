#include <isa-l/crc.h>
#include <stdint.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

/// Whether this CPU and OS run AVX instructions (`vzeroupper` among them); asked once.
static inline int gatehouse_cpu_has_avx(void) {
#if defined(__x86_64__)
    static int known = -1;
    int has = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (has < 0) {
        unsigned eax, ebx, ecx, edx;
        has = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_AVX) && (ecx & bit_OSXSAVE);
        __atomic_store_n(&known, has, __ATOMIC_RELAXED);
    }
    return has;
#else
    return 0;
#endif
}

/// ISA-L's gzip CRC-32 (`crc32_gzip_refl`), leaving the vector registers' upper halves clean.
/// ISA-L's AVX-512 routine returns without `vzeroupper`; until something clears them, every
/// legacy-SSE instruction the compiled Swift code around it executes (its 16-byte copies, for
/// one) pays the dirty-upper-state penalty, which on this project's machines made each
/// outcome's encoding several times slower than its work.
static inline uint32_t gatehouse_crc32_gzip(uint32_t seed, const unsigned char *buffer, uint64_t length) {
    uint32_t crc = crc32_gzip_refl(seed, buffer, length);
#if defined(__x86_64__)
    if (gatehouse_cpu_has_avx()) __asm__ volatile("vzeroupper");
#endif
    return crc;
}

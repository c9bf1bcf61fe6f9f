/* Test-only stand-in for bcryptprimitives.dll, which Wine 8 lacks but Rust's std for Windows
   (1.78+) imports ProcessPrng from: forwards to RtlGenRandom (advapi32's SystemFunction036).
   Built and placed next to the .exe by xtask/src/wine.rs; never shipped. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    for (ULONG n; len > 0; data += n, len -= n)
        if (!SystemFunction036(data, n = len > 0x10000000 ? 0x10000000 : (ULONG)len)) return FALSE;
    return TRUE;
}

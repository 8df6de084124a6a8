#pragma once
#include <string>

namespace netsep::cli {

// A large policy builds hundreds of MiB of small objects; on virtual machines
// each 4 KiB page fault is costly (at 100,000 rules, 90,000 faults were 40%
// of `check`). glibc's malloc backs its heaps with transparent huge pages when
// the tunable glibc.malloc.hugetlb=1 is set, and tunables are only read at
// start-up, so for a policy file of at least 1 MiB netsep restarts itself
// once with that tunable added to GLIBC_TUNABLES. Nothing happens when the
// environment already names the tunable (glibc.malloc.hugetlb=0 opts out),
// in sanitizer builds, or when the restart fails (the run goes on as is).
void restartWithHugePagesForLargeInput(const std::string& policyPath, char** argv);

} // namespace netsep::cli

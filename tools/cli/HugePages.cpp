#include "HugePages.hpp"

#include "SanitizerBuild.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace netsep::cli {

namespace {
constexpr off_t kLargeInputBytes = off_t(1) << 20;
constexpr const char* kTunable = "glibc.malloc.hugetlb";
} // namespace

void restartWithHugePagesForLargeInput(const std::string& policyPath, char** argv) {
    if (kSanitizerBuild || policyPath.empty())
        return;
    struct stat st {};
    if (stat(policyPath.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < kLargeInputBytes)
        return;
    const char* current = std::getenv("GLIBC_TUNABLES");
    if (current && std::strstr(current, kTunable))
        return; // already restarted, or chosen by the user
    std::string value = std::string(kTunable) + "=1";
    if (current && *current)
        value = std::string(current) + ":" + value;
    if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    // The restart failed (no /proc, say): go on without it.
    if (current)
        setenv("GLIBC_TUNABLES", current, 1);
    else
        unsetenv("GLIBC_TUNABLES");
}

} // namespace netsep::cli

// vendor::appendLine: Junos policies, PAN-OS rules and FortiOS policies are
// built from it, so a part out of order or a missing newline would corrupt
// every vendor config.
#include "backends/common/VendorCommon.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace netsep;

TEST_CASE("vendor::appendLine writes the head, every part in order and one newline") {
    std::string out = "x\n";
    backends::vendor::appendLine(out, "set rules r1", {" from ", "trust", ""});
    backends::vendor::appendLine(out, "", {});
    backends::vendor::appendLine(out, "        ", {"set name \"", "p", "\""});
    CHECK(out == "x\nset rules r1 from trust\n\n        set name \"p\"\n");
}

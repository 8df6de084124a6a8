#include "diag/Printable.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using netsep::printable;
using netsep::printableJson;

TEST_CASE("printable: every C0, DEL and C1 control becomes '?', text stays") {
    CHECK(printable("plain 한글 text") == "plain 한글 text");
    CHECK(printable("a\x1b[2Jb") == "a?[2Jb");
    CHECK(printable("\x7f") == "?");
    CHECK(printable("x\xc2\x9b"
                    "31m") == "x??31m");
    // U+00A0 (C2 A0) is not a control.
    CHECK(printable("\xc2\xa0") == "\xc2\xa0");
    CHECK(printable("a\tb") == "a b");
    CHECK(printable("a\nb") == "a?b");
    CHECK(printable("a\nb", true) == "a\nb");
    CHECK(printable(std::string_view("a\0b", 3)) == "a?b");
    // Bytes that are not valid UTF-8 become '?' one for one (a raw 0x9b is
    // CSI to an 8-bit terminal); a lone C2 at the end is not a C1 control.
    CHECK(printable("\xc2") == "?");
    CHECK(printable("a\x9b"
                    "2Jb") == "a?2Jb");
    CHECK(printable("\xff\xfe") == "??");
    CHECK(printable("\xc0\xaf") == "??");      // overlong '/'
    CHECK(printable("\xed\xa0\x80") == "???"); // surrogate
    CHECK(printable("\xe2\x82") == "??");      // cut short
    CHECK(printable("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");
}

TEST_CASE("printableJson: DEL and C1 escaped, the document still means the same") {
    std::string s = "esc \x1b del \x7f csi \xc2\x9b nbsp \xc2\xa0 hangul 한";
    nlohmann::json j = {{"k", s}};
    std::string out = printableJson(j.dump(2));
    CHECK(out.find('\x7f') == std::string::npos);
    CHECK(out.find("\xc2\x9b") == std::string::npos);
    CHECK(out.find("\\u007f") != std::string::npos);
    CHECK(out.find("\\u009b") != std::string::npos);
    CHECK(nlohmann::json::parse(out)["k"] == s);
}

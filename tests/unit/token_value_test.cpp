// Words and strings as both parse paths read them (parse/TokenValue.hpp).
#include "diag/DiagnosticEngine.hpp"
#include "parse/TokenValue.hpp"

#include <doctest/doctest.h>

using netsep::DiagnosticEngine;
using netsep::SourceManager;
using netsep::SourceSpan;
using netsep::parse::checkWordLength;
using netsep::parse::kMaxWordBytes;
using netsep::parse::stringValue;

TEST_CASE("string escapes: \\\" \\\\ \\n \\t decoded, others E106 at the escape") {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    const SourceSpan at{0, 3, 10, 20};
    CHECK(stringValue(R"("a\nb\tc\"d\\e")", at, diags) == "a\nb\tc\"d\\e");
    CHECK(stringValue(R"("")", at, diags).empty());
    CHECK_FALSE(diags.hasErrors());

    // Unknown escapes stay as written; each is located at its backslash, in
    // code points (é is two bytes, one column).
    CHECK(stringValue("\"é\\q \\é\"", at, diags) == "é\\q \\é");
    REQUIRE(diags.all().size() == 2);
    CHECK(diags.all()[0].code == "E106");
    CHECK(diags.all()[0].span.line == 3);
    CHECK(diags.all()[0].span.col == 12); // '"' at 10, 'é' at 11
    CHECK(diags.all()[0].message.find("'\\q'") != std::string::npos);
    CHECK(diags.all()[1].span.col == 15);
    CHECK(diags.all()[1].message.find("'\\é'") != std::string::npos);
}

TEST_CASE("words: at most 255 bytes, E107 quotes only the start") {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    checkWordLength(std::string(kMaxWordBytes, 'a'), {0, 1, 1, 255}, diags);
    CHECK_FALSE(diags.hasErrors());
    checkWordLength(std::string(1 << 20, 'b'), {0, 1, 1, 1}, diags);
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].code == "E107");
    CHECK(diags.all()[0].message.size() < 200);
    CHECK(diags.all()[0].message.find("1048576 bytes") != std::string::npos);
}

// The report's language catalogue and the register's CSV cells.
#include "audit/AuditRule.hpp"
#include "report/Catalogue.hpp"
#include "report/Register.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace netsep::report;

namespace {
size_t placeholders(const std::string& s) {
    size_t n = 0;
    for (size_t at = s.find("{}"); at != std::string::npos; at = s.find("{}", at + 2))
        ++n;
    return n;
}
} // namespace

TEST_CASE("catalogue: every key in both languages, with the same placeholders") {
    std::set<std::string_view> seen;
    for (std::string_view key : catalogueKeys()) {
        INFO(key);
        CHECK(seen.insert(key).second); // no key twice
        CHECK(hasTranslation(Lang::Ko, key));
        bool ruleTitle = key.substr(0, 5) == "rule.";
        CHECK(hasTranslation(Lang::En, key) != ruleTitle); // rule titles: English in AuditRule
        if (!ruleTitle && key != "findings.englishNote")
            CHECK(placeholders(tr(Lang::En, key)) == placeholders(tr(Lang::Ko, key)));
    }
    for (const auto& rule : netsep::audit::auditRules()) {
        INFO(rule.id);
        CHECK(seen.count("rule." + std::string(rule.id) + ".checks"));
        CHECK(seen.count("rule." + std::string(rule.id) + ".traces"));
    }
    CHECK(tr(Lang::Ko, "verdict.invalid") == "부적합");
    CHECK(tr(Lang::En, "no.such.key") == "no.such.key");
    CHECK(parseLang("ko") == Lang::Ko);
    CHECK_FALSE(parseLang("kr"));
}

TEST_CASE("catalogue: the FSC's Korean terms") {
    CHECK(tr(Lang::Ko, "kind.no-action-letter") == "비조치의견서");
    CHECK(tr(Lang::Ko, "kind.sandbox").find("혁신금융서비스") == 0);
    CHECK(tr(Lang::Ko, "heading.exceptions") == "망분리 예외");
    CHECK(tr(Lang::Ko, "col.killSwitch") == "킬스위치");
}

TEST_CASE("register: csv cells are quoted and never start a formula") {
    CHECK(csvField("plain") == "\"plain\"");
    CHECK(csvField("a \"b\", c") == "\"a \"\"b\"\", c\"");
    CHECK(csvField("=1+1") == "\"'=1+1\"");
    CHECK(csvField("+cmd") == "\"'+cmd\"");
    CHECK(csvField("-2+3") == "\"'-2+3\"");
    CHECK(csvField("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csvField("\r=x") == "\"?=x\""); // control characters become '?'
    CHECK(csvField("line\nbreak") == "\"line?break\"");
    CHECK(csvField("2026-11-22") == "\"2026-11-22\"");
    CHECK(csvField("") == "\"\"");
}

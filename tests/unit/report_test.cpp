// The report's language catalogue, the register's CSV cells, the expiry calendar.
#include "TestPolicy.hpp"
#include "audit/AuditRule.hpp"
#include "audit/ExpiryCalendar.hpp"
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

TEST_CASE("expiry calendar: the next 90 days, by date, with what ends") {
    auto c = netsep::test::compileText(R"(
service https tcp/443
zone internet { kind internet level open networks 0.0.0.0/0 }
zone app { kind internal level sensitive networks 10.99.2.0/24 }
group g in app { 10.99.2.16/28 }
saas ai { provider "p" fqdn api.ai.example networks 203.0.113.0/24 screening "S" on 2026-06-01 }
saas far { provider "q" fqdn far.example networks 198.51.100.0/24 screening "T" on 2026-11-01 }
exception a { from g to ai service https purpose port-scan basis "L" expires 2027-01-31
  approved-by "ciso" kill-switch k log }
exception b { from g to ai service https purpose port-scan basis "L" expires 2026-12-15
  approved-by "ciso" kill-switch k log }
letter "L" { kind no-action-letter issued 2026-02-01 expires 2027-01-31
  scope { purpose port-scan from g to ai } }
waive hop app -> internet until 2027-02-20 because "r" ticket "T-1"
waive hop g -> internet until 2027-02-21 because "r" ticket "T-2"
)");
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto cal = netsep::audit::expiryCalendar(c->policy, *netsep::model::Date::parse("2026-11-22"));
    std::vector<std::string> got;
    for (const auto& e : cal)
        got.push_back(e.date.str() + " " + std::to_string(int(e.kind)) + ":" +
                      std::to_string(e.index));
    // screening of ai (2026-06-01 + 184) is due 2026-12-02; b ends 2026-12-15;
    // a and the letter end 2027-01-31; waiver 0 on day 90; waiver 1 and the
    // screening of far (2027-05-04) are beyond.
    CHECK(got == std::vector<std::string>{"2026-12-02 3:0", "2026-12-15 0:1", "2027-01-31 0:0",
                                          "2027-01-31 1:0", "2027-02-20 2:0"});
}

// lower::negationByOrder: when the order of a first-match ACL can stand in
// for a negated object (Cisco ASA writes the catch-all zone that way).
#include "TestPolicy.hpp"
#include "lower/Lowering.hpp"
#include "lower/NegationByOrder.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace netsep;

namespace {

struct Lowered {
    std::unique_ptr<test::Compiled> compiled;
    lower::LoweredFirewall fw;
};

Lowered lowerText(const std::string& rules) {
    const std::string text =
        "zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }\n"
        "zone a { kind internal level sensitive networks 10.1.0.0/24, fd00:1:2:3::/64 }\n"
        "zone b { kind internal level sensitive networks 10.2.0.0/24 }\n"
        "saas ai { provider \"p\" fqdn api.ai.example networks 198.51.100.0/24 screening \"r\" "
        "on 2026-05-30 }\n"
        "saas ip { provider \"q\" networks 203.0.113.0/24 screening \"r\" on 2026-05-30 }\n"
        "letter \"L\" { kind no-action-letter issued 2026-06-01 expires 2027-05-31\n"
        "  scope { purpose vulnerability-assessment from a to ai } }\n" +
        rules +
        "firewall fw { backend cisco-asa\n"
        "  interface i0 zone internet\n  interface i1 zone a\n  interface i2 zone b }\n";
    Lowered l;
    l.compiled = test::compileText(text);
    REQUIRE_MESSAGE(l.compiled->ok, l.compiled->diagnostics());
    auto fws = lower::lowerPolicy(l.compiled->policy, l.compiled->sources,
                                  {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    l.fw = std::move(fws[0]);
    return l;
}

// The rules entering `zone` (one ingress ACL), in evaluation order.
std::vector<const lower::LoweredRule*> entering(const lower::LoweredFirewall& fw,
                                                const std::string& zone) {
    std::vector<const lower::LoweredRule*> out;
    for (const auto& p : fw.pairs)
        if (p.fromZone == zone)
            for (const auto& r : p.rules)
                out.push_back(&r);
    return out;
}

std::vector<std::string> names(const std::vector<const lower::LoweredRule*>& rules) {
    std::vector<std::string> out;
    for (const auto* r : rules)
        if (out.empty() || out.back() != r->policyRule)
            out.push_back(r->policyRule);
    return out;
}

std::string access(const char* name, const char* from, const char* to, const char* svc) {
    return fmt::format("access {} {{ from {} to {} service {} justification \"j\" owner \"o\" }}\n",
                       name, from, to, svc);
}

} // namespace

TEST_CASE("negationByOrder: the catch-all as source moves behind the declared sources") {
    const Lowered l = lowerText(access("inbound", "internet", "a", "tcp/443") +
                                access("from-ip", "ip", "a", "tcp/443") +
                                "deny no-ip { from ip to b service tcp/22 }\n" +
                                access("inbound2", "internet", "b", "tcp/22"));
    const auto plan = lower::negationByOrder(l.fw, entering(l.fw, "internet"));
    REQUIRE(plan);
    CHECK(plan->side == lower::NegationByOrder::Side::Source);
    CHECK(l.fw.objects[plan->object].name == "zone-internet");
    // The declared source (saas ip) ahead, in evaluation order (the pair
    // internet -> a, then internet -> b).
    CHECK(names(plan->before) == std::vector<std::string>{"from-ip", "no-ip"});
    CHECK(names(plan->after) == std::vector<std::string>{"inbound", "inbound2"});
    // The exclusion is what the catch-all is not: every declared prefix.
    CHECK(plan->exclusion.v4 == l.fw.declaredV4);
    CHECK(plan->exclusion.v6 == l.fw.declaredV6);
}

TEST_CASE("negationByOrder: the catch-all as destination") {
    const Lowered l =
        lowerText(access("out", "a", "internet", "tcp/80") + access("ab", "a", "b", "tcp/80"));
    const auto plan = lower::negationByOrder(l.fw, entering(l.fw, "a"));
    REQUIRE(plan);
    CHECK(plan->side == lower::NegationByOrder::Side::Destination);
    CHECK(names(plan->before) == std::vector<std::string>{"ab"});
    CHECK(names(plan->after) == std::vector<std::string>{"out"});
    // Without a negated object there is nothing to stand in for.
    CHECK_FALSE(lower::negationByOrder(l.fw, entering(l.fw, "b")));
}

TEST_CASE("negationByOrder: an FQDN may overlap the catch-all: its order is kept where verdicts "
          "differ") {
    const std::string ex =
        "exception ai-out { from a to ai service tcp/{} purpose vulnerability-assessment\n"
        "  basis \"L\" expires 2027-05-31 approved-by \"ciso:kim\" kill-switch ai }\n";
    auto exception = [&](const char* port) {
        std::string s = ex;
        s.replace(s.find("{}"), 2, port);
        return s;
    };
    // A deny to the internet over the same port precedes the exception.
    const std::string deny = "deny no-smtp { from a to internet service tcp/25 }\n";
    {
        const Lowered l = lowerText(deny + exception("25"));
        CHECK_FALSE(lower::negationByOrder(l.fw, entering(l.fw, "a")));
    }
    {
        const Lowered l = lowerText(deny + exception("443"));
        const auto plan = lower::negationByOrder(l.fw, entering(l.fw, "a"));
        REQUIRE(plan); // other port: no packet matches both
        CHECK(names(plan->before) == std::vector<std::string>{"ai-out"});
        CHECK(names(plan->after) == std::vector<std::string>{"no-smtp"});
    }
    {
        // Same port, same verdict (an allow to the internet): may move.
        const Lowered l = lowerText(access("out", "a", "internet", "tcp/25") + exception("25"));
        const auto plan = lower::negationByOrder(l.fw, entering(l.fw, "a"));
        REQUIRE(plan);
        CHECK(names(plan->before) == std::vector<std::string>{"ai-out"});
    }
}

TEST_CASE("negationByOrder: negated objects on both sides of one ACL are not ordered") {
    // internet to internet through the firewall (hairpin): source and
    // destination negated in one rule.
    const Lowered l = lowerText(access("inbound", "internet", "a", "tcp/443") +
                                "deny no-rdp { from any to any service tcp/3389 }\n");
    std::vector<const lower::LoweredRule*> rules = entering(l.fw, "internet");
    // A rule with the catch-all on both sides, made from one of them.
    const auto inbound = std::find_if(rules.begin(), rules.end(),
                                      [](const auto* r) { return r->policyRule == "inbound"; });
    REQUIRE(inbound != rules.end());
    lower::LoweredRule both = **inbound;
    both.dst = both.src;
    REQUIRE(l.fw.objects[both.src].negatedV4);
    rules.push_back(&both);
    CHECK_FALSE(lower::negationByOrder(l.fw, rules));
    rules.pop_back();
    // One rule negated on the source, another on the destination.
    lower::LoweredRule other = **inbound;
    std::swap(other.src, other.dst);
    rules.push_back(&other);
    CHECK_FALSE(lower::negationByOrder(l.fw, rules));
}

// compiler/review: --fail-on parsing, the diff's reachability against
// explain (itself checked against the kernel by tests/enforce/explain_check.py)
// on random policy pairs, the Markdown size cap.
#include "TestPolicy.hpp"
#include "report/Review.hpp"
#include "review/Diff.hpp"
#include "review/Explain.hpp"
#include "review/FailOn.hpp"

#include <doctest/doctest.h>

#include <random>
#include <set>
#include <sstream>

using namespace netsep;

TEST_CASE("review: --fail-on parses conditions and codes, and refuses the rest") {
    std::string err;
    auto f = review::parseFailOn("expired,expiring=30d, waiver-expiring=14,ANO-002,warnings", err);
    REQUIRE(f);
    CHECK(f->expired);
    CHECK(f->expiringDays == 30);
    CHECK(f->waiverExpiringDays == 14);
    CHECK(!f->waiverExpired);
    CHECK(f->warnings);
    CHECK(f->codes == std::vector<std::string>{"ANO-002"});
    for (const char* badSpec : {"", "expiring", "expiring=x", "expired=3d", "soon", "a,,b",
                                "expiring=-1d", "ano-002", "waiver-expiring=99999999d"}) {
        CAPTURE(badSpec);
        err.clear();
        CHECK(!review::parseFailOn(badSpec, err));
        CHECK(!err.empty());
    }
}

TEST_CASE("review: --fail-on adds gate errors and raises chosen warnings") {
    auto c = test::compileText(R"(
policy p { owner "o" }
service https tcp/443
zone a { kind internal level sensitive networks 10.99.1.0/24 }
saas s { provider "p" fqdn s.example networks 10.99.9.0/24 screening "R" on 2026-10-01 }
exception x { from a to s service https purpose security-saas basis saas-general
  expires 2026-12-01 approved-by "ciso" kill-switch k log }
waive hop a -> s until 2026-11-30 because "r" ticket "T-1"
)");
    REQUIRE(c->ok);
    const auto asOf = *model::Date::parse("2026-11-22");
    std::string err;
    DiagnosticEngine d(c->sources);
    d.warning("ANO-002", {}, "w");
    review::applyFailOn(*review::parseFailOn("expiring=9d,waiver-expiring=8d,ANO-002", err),
                        c->policy, asOf, d);
    std::set<std::string> codes;
    for (const auto& x : d.all())
        if (x.severity == Severity::Error)
            codes.insert(x.code);
    CHECK(codes == std::set<std::string>{"CIG-002", "CIG-004", "ANO-002"});
    DiagnosticEngine d2(c->sources);
    review::applyFailOn(*review::parseFailOn("expiring=8d,waiver-expiring=7d", err), c->policy,
                        asOf, d2);
    CHECK(!d2.hasErrors()); // 9 and 8 days left
    DiagnosticEngine d3(c->sources);
    review::applyFailOn(*review::parseFailOn("expired,waiver-expired", err), c->policy,
                        *model::Date::parse("2026-12-02"), d3);
    CHECK(d3.errorCount() == 2);
}

namespace {

// A small random policy: zones (some with a group), an optional internet
// zone and saas endpoint, access and deny rules, one firewall holding every
// zone. `split` moves the first group into a zone of its own (a zone split).
struct Spec {
    int zones = 3;
    std::vector<bool> group;
    bool internet = false;
    struct Rule {
        bool deny;
        std::string from, to, service;
    };
    std::vector<Rule> rules;
    bool split = false;
};

const std::vector<std::string> kServices = {"https", "dns", "alt", "ping", "tcp/22"};

std::string text(const Spec& s) {
    std::ostringstream o;
    o << "policy p { owner \"o\" }\nservice https tcp/443\nservice dns udp/53, tcp/53\n"
         "service alt tcp/8000-8010\nservice ping icmp/echo-request\n";
    if (s.internet) {
        o << "zone internet { kind internet level open networks 0.0.0.0/0 }\n";
        o << "saas sx { provider \"p\" fqdn sx.example networks 10.99.250.0/24 }\n";
    }
    bool moved = false;
    for (int z = 0; z < s.zones; ++z) {
        o << "zone z" << z << " { kind internal level sensitive networks 10.99." << z + 1
          << ".0/24 }\n";
        if (s.group[z]) {
            if (s.split && !moved) {
                o << "zone zs { kind internal level sensitive networks 10.99." << z + 1
                  << ".8/29 }\ngroup g" << z << " in zs { 10.99." << z + 1 << ".8/29 }\n";
                moved = true;
            } else {
                o << "group g" << z << " in z" << z << " { 10.99." << z + 1 << ".8/29 }\n";
            }
        }
    }
    int n = 0;
    for (const auto& r : s.rules)
        o << (r.deny ? "deny" : "access") << " r" << n++ << " { from " << r.from << " to " << r.to
          << " service " << r.service << (r.deny ? "" : " justification \"j\" owner \"o\"")
          << " }\n";
    o << "firewall fw {\n  backend nftables\n";
    int i = 0;
    if (s.internet)
        o << "  interface eth" << i++ << " zone internet\n";
    for (int z = 0; z < s.zones; ++z)
        o << "  interface eth" << i++ << " zone z" << z << "\n";
    if (moved)
        o << "  interface eth" << i++ << " zone zs\n";
    o << "}\n";
    return o.str();
}

Spec randomSpec(std::mt19937& rng) {
    Spec s;
    s.zones = 3 + int(rng() % 2);
    for (int z = 0; z < s.zones; ++z)
        s.group.push_back(rng() % 2);
    s.internet = rng() % 2;
    return s;
}

Spec::Rule randomRule(std::mt19937& rng, const Spec& s) {
    std::vector<std::string> ends;
    for (int z = 0; z < s.zones; ++z) {
        ends.push_back("z" + std::to_string(z));
        if (s.group[z])
            ends.push_back("g" + std::to_string(z));
    }
    if (s.internet) {
        ends.push_back("internet");
        ends.push_back("sx");
    }
    Spec::Rule r;
    r.deny = rng() % 4 == 0;
    r.from = r.deny && rng() % 3 == 0 ? "any" : ends[rng() % ends.size()];
    r.to = ends[rng() % ends.size()];
    r.service = kServices[rng() % kServices.size()];
    return r;
}

struct Checked {
    std::unique_ptr<test::Compiled> c;
    review::Checked checked;
};

Checked checkText(const std::string& t, model::Date asOf) {
    Checked x{test::compileText(t), {}};
    REQUIRE_MESSAGE(x.c->ok, x.c->diagnostics() << t);
    x.checked = review::checkModel(x.c->policy, asOf);
    return x;
}

bool allowedBy(const review::Explanation& e) {
    REQUIRE_MESSAGE(e.error.empty(), e.error);
    // No firewall in between (one zone, or a saas endpoint and the internet
    // it attaches to): everything reaches, as the diff counts it.
    return e.outcome == review::Outcome::Allowed || e.outcome == review::Outcome::SameZone ||
           e.outcome == review::Outcome::NoFirewall;
}

bool covered(const std::vector<review::ReachChange>& v, const model::IpPrefix& a,
             const model::IpPrefix& b, const analysis::ServiceSpace& probe) {
    for (const auto& rc : v)
        if (rc.fromAddresses.contains(a) && rc.toAddresses.contains(b) &&
            probe.subsetOf(rc.services))
            return true;
    return false;
}

} // namespace

TEST_CASE(
    "review: the diff's opened and closed flows are exactly where explain's verdicts change") {
    const auto asOf = *model::Date::parse("2026-11-22");
    std::mt19937 rng(20261207);
    size_t compared = 0, changes = 0;
    for (int round = 0; round < 60; ++round) {
        Spec a = randomSpec(rng);
        for (int i = 0, n = 2 + int(rng() % 4); i < n; ++i)
            a.rules.push_back(randomRule(rng, a));
        Spec b = a;
        switch (rng() % 4) {
        case 0:
            b.rules.push_back(randomRule(rng, b));
            break;
        case 1:
            if (!b.rules.empty())
                b.rules.erase(b.rules.begin() + long(rng() % b.rules.size()));
            break;
        case 2:
            if (!b.rules.empty())
                b.rules[rng() % b.rules.size()].service = kServices[rng() % kServices.size()];
            break;
        case 3:
            b.split = true; // a no-op when no zone has a group
            break;
        }
        const std::string ta = text(a), tb = text(b);
        CAPTURE(ta);
        CAPTURE(tb);
        auto va = checkText(ta, asOf);
        auto vb = checkText(tb, asOf);
        review::PolicyVersion before{va.c->policy, va.c->sources, *va.checked.analysis,
                                     *va.checked.audit, "a"};
        review::PolicyVersion after{vb.c->policy, vb.c->sources, *vb.checked.analysis,
                                    *vb.checked.audit, "b"};
        auto d = review::diffPolicies(before, after, asOf);
        review::Explainer ea(va.c->policy, va.c->sources, asOf, false);
        review::Explainer eb(vb.c->policy, vb.c->sources, asOf, false);
        std::vector<std::string> hosts;
        for (int z = 0; z < a.zones; ++z) {
            hosts.push_back("10.99." + std::to_string(z + 1) + ".100");
            hosts.push_back("10.99." + std::to_string(z + 1) + ".9");
        }
        if (a.internet) {
            hosts.push_back("10.99.200.5");
            hosts.push_back("10.99.250.5");
        }
        for (const auto& x : hosts)
            for (const auto& y : hosts) {
                if (x == y)
                    continue;
                for (const char* probe :
                     {"tcp/443", "udp/53", "tcp/8005", "tcp/22", "tcp/9", "icmp/echo-request"}) {
                    CAPTURE(x);
                    CAPTURE(y);
                    CAPTURE(probe);
                    auto oa = ea.explain({x, y, probe});
                    auto ob = eb.explain({x, y, probe});
                    const bool was = allowedBy(oa), is = allowedBy(ob);
                    const auto& space = ob.services;
                    CHECK(covered(d.opened, oa.src.address, oa.dst.address, space) == (!was && is));
                    CHECK(covered(d.closed, oa.src.address, oa.dst.address, space) == (was && !is));
                    ++compared;
                    changes += was != is;
                }
            }
    }
    MESSAGE(compared << " flows compared, " << changes << " changed");
    CHECK(changes > 100);
}

TEST_CASE("review: the Markdown diff stays within a merge-request comment") {
    review::PolicyDiff d;
    d.oldLabel = "a";
    d.newLabel = "b";
    for (int i = 0; i < 5000; ++i) {
        review::ReachChange rc;
        rc.from = {"zone z" + std::to_string(i)};
        rc.to = {"zone core"};
        model::ServiceEntry e;
        e.proto = model::Proto::Tcp;
        e.ports = {443, 443};
        rc.services = analysis::ServiceSpace::of(e);
        rc.newNote = "x";
        rc.oldNote = "y";
        d.opened.push_back(rc);
    }
    const std::string md = report::diffMarkdown(d, 60000);
    CHECK(md.size() <= 60000);
    CHECK(md.find("cut to fit a merge-request comment") != std::string::npos);
    CHECK(report::diffText(d).size() > 60000); // the text keeps everything
}

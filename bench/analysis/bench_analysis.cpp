// Benchmark of the policy-graph analysis (issue 3 speed targets):
//
//   graph:  10,000 zones / ~1,000,000 allowed flows, full analysis  <= 2 s, <= 512 MB
//   rules:  100,000 rules over 2,000 zones                           <= 0.5 s
//
// Policies are generated in memory (deterministic for a seed) as a tiered
// bank network with rule lists, denies, waivers, exceptions, expectations
// and a few deliberate lateral-movement and exfiltration leaks, so every
// analysis has real work to do. `--policy FILE.nsp` benchmarks a parsed
// policy instead (e.g. one from bench/gen_policy.py).
//
// Not a unit test: build and run by hand, see bench/analysis/README.md.
#include "analysis/Analysis.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"
#include "parse/PolicyLoader.hpp"
#include "sema/Sema.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace netsep;

namespace {

struct Params {
    size_t zones = 10000;
    size_t flows = 1000000; // target number of allowed (from, to) pairs
    size_t rules = 0;       // 0: derived from flows and fan-out
    size_t fanFrom = 10, fanTo = 10;
    size_t groups = 2000;
    size_t saas = 50;
    size_t exceptions = 300;
    size_t denies = 200;
    size_t waivers = 100;
    size_t expectations = 200;
    size_t leaks = 20; // svc -> dc rules with pivot services (lateral findings)
    size_t exfil = 5;  // dc -> lab flows towards exception holders (exfiltration)
    unsigned k = 3;
    unsigned seed = 42;
};

double peakRssMb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0; // KiB on Linux
}

model::Policy generate(const Params& P) {
    std::mt19937_64 rng(P.seed);
    auto pick = [&](size_t n) { return static_cast<uint32_t>(rng() % n); };
    model::Policy p;
    p.name = "bench";
    uint32_t line = 0;
    auto span = [&] { return SourceSpan{0, ++line, 1, 1}; };

    auto service = [&](const char* name, model::Proto proto, uint16_t lo, uint16_t hi,
                       bool noPivot) {
        model::Service s;
        s.name = name;
        model::ServiceEntry e;
        e.proto = proto;
        e.ports = {lo, hi};
        s.entries.push_back(e);
        s.noPivot = noPivot;
        s.span = span();
        p.services.push_back(s);
        return static_cast<uint32_t>(p.services.size() - 1);
    };
    const uint32_t https = service("https", model::Proto::Tcp, 443, 443, false);
    const uint32_t http = service("http", model::Proto::Tcp, 80, 80, false);
    const uint32_t ssh = service("ssh", model::Proto::Tcp, 22, 22, false);
    const uint32_t dns = service("dns", model::Proto::Udp, 53, 53, false);
    const uint32_t ntp = service("ntp", model::Proto::Udp, 123, 123, true);
    const uint32_t syslog = service("syslog", model::Proto::Udp, 514, 514, true);
    const uint32_t postgres = service("postgres", model::Proto::Tcp, 5432, 5432, false);
    const uint32_t oracle = service("oracle", model::Proto::Tcp, 1521, 1521, false);
    const uint32_t telnet = service("tcp/23", model::Proto::Tcp, 23, 23, false);
    const uint32_t appPorts = service("app-ports", model::Proto::Tcp, 8000, 8099, false);
    const uint32_t metrics = service("metrics", model::Proto::Tcp, 9100, 9100, true);

    // Zone classes.
    enum Cls { Inet, Dmz, App, Svc, Dc, Adm, Lab, NCls };
    const double share[NCls] = {0.001, 0.15, 0.30, 0.30, 0.15, 0.05, 0.049};
    std::vector<std::vector<uint32_t>> byClass(NCls);
    for (size_t i = 0; i < P.zones; ++i) {
        double x = static_cast<double>(i) / static_cast<double>(P.zones), acc = 0;
        int c = 0;
        for (; c < NCls - 1; ++c) {
            acc += share[c];
            if (x < acc)
                break;
        }
        if (i == 0)
            c = Inet;
        model::Zone z;
        static const char* prefix[] = {"inet", "dmz", "app", "svc", "dc", "adm", "lab"};
        z.name = std::string(prefix[c]) + "-" + std::to_string(i);
        static const model::ZoneKind kinds[] = {
            model::ZoneKind::Internet, model::ZoneKind::Dmz,        model::ZoneKind::Internal,
            model::ZoneKind::Internal, model::ZoneKind::Datacenter, model::ZoneKind::Admin,
            model::ZoneKind::Rnd};
        static const model::Level levels[] = {model::Level::Open,       model::Level::Open,
                                              model::Level::Sensitive,  model::Level::Sensitive,
                                              model::Level::Classified, model::Level::Sensitive,
                                              model::Level::Open};
        z.kind = kinds[c];
        z.level = levels[c];
        z.crownJewel = c == Dc && pick(10) == 0;
        z.isolated = c == Lab;
        z.span = span();
        byClass[c].push_back(static_cast<uint32_t>(p.zones.size()));
        p.zones.push_back(std::move(z));
    }
    auto zoneEp = [](uint32_t z) { return model::Endpoint{model::Endpoint::Kind::Zone, z}; };
    auto somezones = [&](int c, size_t n) {
        std::vector<model::Endpoint> out;
        for (size_t i = 0; i < n && !byClass[c].empty(); ++i)
            out.push_back(zoneEp(byClass[c][pick(byClass[c].size())]));
        return out;
    };

    // Groups: tools in lab zones (exception holders), hosts elsewhere.
    std::vector<uint32_t> labGroups;
    for (size_t i = 0; i < P.groups; ++i) {
        int c = i % 4 == 0 ? Lab : i % 4 == 1 ? App : i % 4 == 2 ? Svc : Dc;
        if (byClass[c].empty())
            continue;
        model::Group g;
        g.name = "grp-" + std::to_string(i);
        g.zone = byClass[c][pick(byClass[c].size())];
        g.span = span();
        if (c == Lab)
            labGroups.push_back(static_cast<uint32_t>(p.groups.size()));
        p.groups.push_back(std::move(g));
    }
    for (size_t i = 0; i < P.saas; ++i) {
        model::Saas s;
        s.name = "saas-" + std::to_string(i);
        s.provider = "Provider";
        s.span = span();
        p.saas.push_back(std::move(s));
    }

    auto rule = [&](model::RuleKind kind, const std::string& name,
                    std::vector<model::Endpoint> from, std::vector<model::Endpoint> to,
                    std::vector<uint32_t> services) {
        model::Rule r;
        r.kind = kind;
        r.name = name;
        r.from = std::move(from);
        r.to = std::move(to);
        r.services = std::move(services);
        r.serviceAny = r.services.empty();
        r.log = true;
        r.justification = "bench";
        r.owner = "bench";
        r.span = span();
        p.rules.push_back(std::move(r));
        return static_cast<uint32_t>(p.rules.size() - 1);
    };

    // Tiered access rules with lists: fan-out pairs per rule.
    struct Tier {
        int from, to;
        double weight;
        std::vector<uint32_t> services;
    };
    const std::vector<Tier> tiers = {
        {Inet, Dmz, 0.05, {https, http}},
        {Dmz, App, 0.20, {https, appPorts}},
        {App, App, 0.15, {https}},
        {App, Svc, 0.20, {syslog, metrics, ntp}},
        {Svc, Svc, 0.10, {appPorts, postgres}},
        {Svc, Dc, 0.12, {postgres, oracle}},
        {Dc, Svc, 0.06, {syslog}},
        {Adm, App, 0.04, {ssh}},
        {Adm, Svc, 0.04, {ssh}},
        {Adm, Dc, 0.04, {ssh}},
    };
    const size_t fan = P.fanFrom * P.fanTo;
    const size_t nrules = P.rules ? P.rules : std::max<size_t>(1, P.flows / fan);
    size_t made = 0;
    for (const Tier& t : tiers) {
        size_t n = static_cast<size_t>(static_cast<double>(nrules) * t.weight + 0.5);
        for (size_t i = 0; i < n; ++i, ++made)
            rule(model::RuleKind::Access, "r" + std::to_string(made),
                 somezones(t.from, t.from == Inet ? 1 : P.fanFrom), somezones(t.to, P.fanTo),
                 t.services);
    }
    for (; made < nrules; ++made)
        rule(model::RuleKind::Access, "r" + std::to_string(made), somezones(App, P.fanFrom),
             somezones(App, P.fanTo), {dns});
    // Leaks: app -> dc with a pivot service (lateral findings from the internet).
    for (size_t i = 0; i < P.leaks; ++i)
        rule(model::RuleKind::Access, "leak-" + std::to_string(i), somezones(App, 1),
             somezones(Dc, 1), {https});
    // Exfiltration: dc -> lab groups holding exceptions (no-pivot logs).
    for (size_t i = 0; i < P.exfil && !labGroups.empty(); ++i)
        rule(model::RuleKind::Access, "exfil-" + std::to_string(i), somezones(Dc, 1),
             {{model::Endpoint::Kind::Group, labGroups[pick(labGroups.size())]}}, {syslog});
    // Exceptions: lab tool groups -> saas.
    for (size_t i = 0; i < P.exceptions && !labGroups.empty() && P.saas; ++i) {
        uint32_t r = rule(model::RuleKind::Exception, "x" + std::to_string(i),
                          {{model::Endpoint::Kind::Group, labGroups[pick(labGroups.size())]}},
                          {{model::Endpoint::Kind::Saas, pick(P.saas)}}, {https});
        model::ExceptionInfo x;
        x.purpose = "vulnerability-assessment";
        model::LegalBasis b;
        b.id = "NAL-" + std::to_string(i);
        b.issued = model::Date::parse("2026-06-01");
        x.basis = b;
        x.expires = *model::Date::parse("2027-05-31");
        x.validFrom = b.issued; // what sema resolves from the basis
        x.validUntil = x.expires;
        x.approvedBy = "ciso:bench";
        x.killSwitch = "ai";
        p.rules[r].exception = x;
    }
    // Denies: a global telnet deny, then targeted ones.
    std::vector<model::Endpoint> all;
    for (uint32_t z = 0; z < p.zones.size(); ++z)
        all.push_back(zoneEp(z));
    for (uint32_t s = 0; s < p.saas.size(); ++s)
        all.push_back({model::Endpoint::Kind::Saas, s});
    uint32_t d = rule(model::RuleKind::Deny, "no-telnet", all, all, {telnet});
    p.rules[d].fromAny = p.rules[d].toAny = true;
    for (size_t i = 1; i < P.denies; ++i)
        rule(model::RuleKind::Deny, "deny-" + std::to_string(i), somezones(App, 3),
             somezones(Svc, 3), {i % 2 ? postgres : appPorts});
    // Waivers on existing flows.
    for (size_t i = 0; i < P.waivers; ++i) {
        const model::Rule& r = p.rules[pick(nrules)];
        model::Waiver w;
        w.from = {r.from.front()};
        w.to = {r.to.front()};
        w.services = {r.services.front()};
        w.serviceAny = false;
        w.until = *model::Date::parse(i % 10 ? "2027-12-31" : "2026-01-01");
        w.because = "bench";
        w.ticket = "RISK-" + std::to_string(i);
        w.span = span();
        p.waivers.push_back(std::move(w));
    }
    for (size_t i = 0; i < P.expectations; ++i) {
        model::Expectation x;
        x.kind = static_cast<model::Expectation::Kind>(i % 3);
        x.from = i % 3 == 1 ? somezones(Inet, 1) : somezones(i % 3 == 0 ? Adm : Inet, 1);
        x.to = somezones(i % 3 == 0 ? App : Dc, 1);
        if (x.kind == model::Expectation::Kind::Allow) {
            x.services = {ssh};
            x.serviceAny = false;
        }
        x.span = span();
        p.expectations.push_back(std::move(x));
    }
    return p;
}

// The rules scenario: many small rules (1-3 sources, 1-3 destinations).
Params rulesScenario() {
    Params P;
    P.zones = 2000;
    P.rules = 100000;
    P.fanFrom = 2;
    P.fanTo = 2;
    P.groups = 400;
    P.saas = 20;
    P.exceptions = 100;
    P.denies = 500;
    P.waivers = 200;
    P.expectations = 200;
    return P;
}

bool loadFile(const char* path, model::Policy& policy, SourceManager& sources) {
    DiagnosticEngine diags(sources);
    ast::Program program;
    std::string ioError;
    LoadStatus st = loadPolicy(path, sources, diags, program, ioError);
    if (st == LoadStatus::IoError) {
        std::fprintf(stderr, "bench: %s\n", ioError.c_str());
        return false;
    }
    if (st != LoadStatus::Ok || !sema::buildPolicy(program, diags, policy)) {
        diags.print(std::cerr);
        return false;
    }
    return true;
}

void usage() {
    std::fprintf(stderr, "usage: bench_analysis [graph|rules] [--zones N] [--flows N] [--rules N]\n"
                         "                      [--leaks N] [--k N] [--seed N] [--repeat N]\n"
                         "       bench_analysis --policy FILE.nsp [--as-of DATE] [--repeat N]\n");
}

} // namespace

int main(int argc, char** argv) {
    std::string scenario = "graph";
    Params P;
    const char* policyFile = nullptr;
    std::string asOf = "2026-11-22";
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto num = [&]() -> size_t {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return std::strtoull(argv[++i], nullptr, 10);
        };
        if (a == "graph") {
            scenario = a;
        } else if (a == "rules") {
            scenario = a;
            P = rulesScenario();
        } else if (a == "--zones") {
            P.zones = num();
        } else if (a == "--flows") {
            P.flows = num();
        } else if (a == "--rules") {
            P.rules = num();
        } else if (a == "--leaks") {
            P.leaks = num();
        } else if (a == "--k") {
            P.k = static_cast<unsigned>(num());
        } else if (a == "--seed") {
            P.seed = static_cast<unsigned>(num());
        } else if (a == "--repeat") {
            repeat = static_cast<int>(num());
        } else if (a == "--policy" && i + 1 < argc) {
            policyFile = argv[++i];
            scenario = "policy";
        } else if (a == "--as-of" && i + 1 < argc) {
            asOf = argv[++i];
        } else {
            usage();
            return 2;
        }
    }

    SourceManager sources;
    model::Policy policy;
    auto t0 = std::chrono::steady_clock::now();
    if (policyFile) {
        if (!loadFile(policyFile, policy, sources))
            return 1;
    } else {
        policy = generate(P);
    }
    double genMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("scenario %s: %zu zones, %zu groups, %zu saas, %zu rules, %zu waivers, %zu "
                "expectations (%s in %.0f ms)\n",
                scenario.c_str(), policy.zones.size(), policy.groups.size(), policy.saas.size(),
                policy.rules.size(), policy.waivers.size(), policy.expectations.size(),
                policyFile ? "loaded" : "generated", genMs);
    std::printf("peak RSS after %s: %.0f MB\n", policyFile ? "load" : "generation", peakRssMb());

    analysis::Options opts;
    opts.asOf = *model::Date::parse(asOf);
    opts.k = P.k;
    double best = 1e300;
    for (int run = 0; run < repeat; ++run) {
        auto start = std::chrono::steady_clock::now();
        analysis::Result r = analysis::analyze(policy, opts);
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        best = std::min(best, ms);
        const auto& t = r.timings;
        std::printf("run %d: %.0f ms total  [graph %.0f, lateral+blast %.0f, exfiltration %.0f, "
                    "cut %.0f, anomalies %.0f, expectations %.0f]\n",
                    run + 1, ms, t.graph, t.lateral, t.exfiltration, t.cut, t.anomalies,
                    t.expectations);
        if (run == 0) {
            size_t failed = 0;
            for (const auto& e : r.expectations)
                failed += !e.passed;
            std::printf("  graph: %zu vertices, %zu edges (%zu movement, %zu flow, %zu "
                        "intra-zone)\n",
                        r.summary.vertices, r.summary.edges, r.summary.movementEdges,
                        r.summary.flowEdges, r.summary.intraEdges);
            std::printf("  exposed %zu, targets %zu; lateral findings %zu, exfiltration %zu; "
                        "cut %zu + %zu items; anomalies %zu; failed expectations %zu/%zu\n",
                        r.exposed.size(), r.targets.size(), r.lateral.size(), r.exfiltration.size(),
                        r.cut.lateral.size(), r.cut.exfiltration.size(), r.anomalies.size(), failed,
                        r.expectations.size());
        }
    }
    std::printf("best of %d: %.0f ms; peak RSS %.0f MB\n", repeat, best, peakRssMb());
    return 0;
}

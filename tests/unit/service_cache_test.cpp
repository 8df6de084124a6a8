// vendor::ServiceCache: what a backend made of a service is reused only for
// the same content (protocol, ports, ICMP types, tcp/udp twin), and made
// once per content, in the order of first use.
#include "backends/common/ServiceCache.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace netsep;
using lower::Match;
using model::Proto;

namespace {

Match tcp(std::vector<model::PortRange> ports) {
    Match m;
    m.proto = Proto::Tcp;
    m.ports = std::move(ports);
    return m;
}

} // namespace

TEST_CASE("service cache: one make per content, none shared between different services") {
    backends::vendor::ServiceCache cache;
    std::vector<std::string> made;
    auto get = [&](const Match& m, const Match* twin = nullptr) {
        return cache.get(m, twin, [&] {
            made.push_back("s" + std::to_string(made.size()));
            return made.back();
        });
    };
    const Match https = tcp({{443, 443}});
    Match udp = https;
    udp.proto = Proto::Udp;
    Match icmp;
    icmp.proto = Proto::Icmp;
    icmp.icmpTypes = {8};
    Match icmp0 = icmp;
    icmp0.icmpTypes = {0};
    icmp0.icmpNames = {"echo-reply"};
    const std::vector<Match> distinct = {https, udp, tcp({{443, 444}}), tcp({{80, 80}, {443, 443}}),
                                         tcp({{80, 443}}), tcp({}), Match{}, icmp, icmp0,
                                         // a port range whose bytes would read as a count if fields
                                         // were not fixed-width
                                         tcp({{1, 0}}), tcp({{256, 1}})};
    for (const auto& m : distinct)
        get(m);
    CHECK(made.size() == distinct.size());
    CHECK(get(https, &udp) == "s11"); // a twin is another service
    CHECK(get(udp, &https) == "s12");
    for (std::size_t i = 0; i < distinct.size(); ++i)
        CHECK(get(distinct[i]) == "s" + std::to_string(i)); // cached: nothing made
    CHECK(get(https, &udp) == "s11");
    CHECK(made.size() == distinct.size() + 2);
    Match same = tcp({{443, 443}}); // equal content, another object
    CHECK(get(same) == "s0");
}

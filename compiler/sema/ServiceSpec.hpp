#pragma once
#include "model/Service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace netsep::sema {

// Parses one protocol clause: "tcp/443", "udp/1000-2000", "tcp" (every
// port), "icmp/echo-request", "icmp/8", "icmpv6/echo-request".
std::optional<model::ServiceEntry> parseServiceEntry(std::string_view text, std::string& error);

// Does a word look like an inline protocol clause rather than a service name?
bool looksLikeServiceSpec(std::string_view text);

} // namespace netsep::sema

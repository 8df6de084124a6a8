#pragma once
#include <string>
#include <string_view>

// What each vendor platform accepts as the interface names netsep prints
// (docs/backends/<vendor>.md, "Interface names"). Each returns "" for a
// valid name, else a sentence that says what the platform expects; the
// shared check puts it in an E501 at the name in the policy.
namespace netsep::backends::vendor {

// Junos logical interfaces, as security zones take them: TYPE-FPC/PIC/PORT
// [:CHANNEL].UNIT (ge-0/0/0.0, xe-1/0/2:1.100), aeN.UNIT, rethN.UNIT,
// loN.UNIT, stN.UNIT, irb.UNIT, vlan.UNIT, ...
std::string junosInterfaceProblem(std::string_view name);

// A Cisco ASA interface's nameif (its logical name, to which access-groups
// bind): 1-48 characters from [A-Za-z0-9_.-] starting with a letter, and not
// a hardware name such as GigabitEthernet0/1 or Port-channel1.10.
std::string asaNameifProblem(std::string_view name);

// PAN-OS layer-3 interfaces: ethernetSLOT/PORT[.TAG], aeN[.TAG],
// vlan[.N], loopback[.N], tunnel[.N] (TAG 1-9999).
std::string panosInterfaceProblem(std::string_view name);

// FortiOS interface names: 1-15 characters from [A-Za-z0-9_.-] starting
// with a letter or digit (port1, wan1, internal, vlan100, ssl.root); "any"
// is the policy keyword for every interface.
std::string fortiosInterfaceProblem(std::string_view name);

} // namespace netsep::backends::vendor

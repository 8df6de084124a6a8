#pragma once
#include "model/Service.hpp"

#include <array>
#include <bitset>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace netsep::analysis {

// The set of packets a service (or a union of services) matches, in a
// canonical form: tcp and udp port intervals, icmp and icmpv6 type sets,
// and "other" for every protocol that only `any` reaches (gre, esp, ...).
// Two spaces are equal exactly when they match the same traffic, whatever
// the services were called.
class ServiceSpace {
public:
    struct Interval {
        uint32_t lo, hi; // inclusive, 0..65535
        friend bool operator==(const Interval&, const Interval&) = default;
    };

    static ServiceSpace all();
    static ServiceSpace of(const model::Service& service);
    static ServiceSpace of(const model::ServiceEntry& entry);

    void add(const model::ServiceEntry& entry);

    ServiceSpace unite(const ServiceSpace& o) const;
    // The union of many spaces in one merge (not a chain of pairwise unions).
    static ServiceSpace uniteAll(std::span<const ServiceSpace* const> spaces);
    ServiceSpace intersect(const ServiceSpace& o) const;
    ServiceSpace subtract(const ServiceSpace& o) const;
    bool subsetOf(const ServiceSpace& o) const;

    bool empty() const;
    bool isAll() const;
    // "tcp/22, udp/53, icmp/8"; "any" for everything; "none" when empty.
    std::string str() const;
    // Equal spaces hash equally.
    uint64_t hash() const;

    // A monotone summary: A subset of B implies signature(A) & ~signature(B)
    // is zero, so most non-subsets are rejected with two AND operations.
    // Bit (p mod 61) per tcp/udp port p; one bit each for icmp, icmpv6 and
    // other protocols.
    using Signature = std::array<uint64_t, 2>;
    Signature signature() const;

    friend bool operator==(const ServiceSpace&, const ServiceSpace&) = default;

private:
    std::vector<Interval> tcp_, udp_;
    std::bitset<256> icmp_, icmp6_;
    bool other_ = false;
};

// Interns spaces and memoises the set operations on them, so the per-flow
// arithmetic of a large policy is a few hash lookups on small integers.
// Id 0 is the empty space.
class SpaceTable {
public:
    using Id = uint32_t;
    static constexpr Id kEmpty = 0;

    SpaceTable();
    Id intern(const ServiceSpace& s);
    const ServiceSpace& get(Id id) const { return spaces_[id]; }
    const ServiceSpace::Signature& signature(Id id) const { return signatures_[id]; }
    Id all() const { return all_; }
    size_t size() const { return spaces_.size(); }

    Id unite(Id a, Id b);
    Id intersect(Id a, Id b);
    Id subtract(Id a, Id b);
    // The union of every id in `ids` (reordered in place).
    Id uniteAll(std::vector<Id>& ids);
    bool intersects(Id a, Id b) { return intersect(a, b) != kEmpty; }
    // Not memoised: the signature rejects most pairs and the exact test
    // allocates nothing, where a memo entry per pair would cost more.
    bool subset(Id a, Id b) const;

private:
    static uint64_t pair(Id a, Id b) { return (uint64_t(a) << 32) | b; }
    std::vector<ServiceSpace> spaces_;
    std::vector<ServiceSpace::Signature> signatures_;
    std::unordered_multimap<uint64_t, Id> index_; // hash -> ids with that hash
    std::unordered_map<uint64_t, Id> uniteMemo_, intersectMemo_, subtractMemo_;
    Id all_ = 0;
};

} // namespace netsep::analysis

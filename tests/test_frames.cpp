// The runner's frame reader: what the worker may say, and what makes the stream untrustworthy.
#include <catch2/catch.hpp>

#include "harness/host/frames.hpp"

using namespace conformance;

namespace {
std::string done(int index, const std::string& body, const std::string& status = "exit:0") {
    size_t lines = 0;
    for (char c : body) lines += c == '\n';
    return "@@sg done " + std::to_string(index) + " status=" + status + " lines=" + std::to_string(lines) +
           " fnv=" + std::to_string(fnv1a(body)) + " ms=3";
}
}  // namespace

TEST_CASE("a well-formed frame comes back whole, noise around it skipped", "[frames]") {
    FrameReader r({0});
    CHECK_FALSE(r.line("kernel: booting"));
    CHECK_FALSE(r.line("@@sg begin 0"));
    CHECK_FALSE(r.line("@@sg ret s1 ret=0 errno=0"));
    auto f = r.line(done(0, "@@sg ret s1 ret=0 errno=0\n"));
    REQUIRE(f);
    CHECK(f->status == "exit:0");
    CHECK(f->ms == 3);
    CHECK(r.pending().empty());
    CHECK(r.fatal().empty());
}

TEST_CASE("a status the protocol does not have is garbled, not a crash", "[frames]") {
    for (std::string st : {"hung", "signal:", "exit:-1", "exit:99999999999999999999", "timeout2", ""}) {
        FrameReader r({0});
        r.line("@@sg begin 0");
        auto f = r.line(done(0, "", st));
        REQUIRE(f);
        CHECK(f->status.rfind("garbled: ", 0) == 0);
    }
}

TEST_CASE("frames for cases never sent, nested or unmatched frames, and stray lines are fatal", "[frames]") {
    for (std::vector<std::string> lines : std::vector<std::vector<std::string>>{
             {"@@sg begin 7"}, {"@@sg begin 0", "@@sg begin 0"}, {"@@sg begin x"}, {"@@sg done 0 status=exit:0"},
             {"@@sg begin 0", "@@sg done 1 status=exit:0 lines=0 fnv=0 ms=0"}, {"@@sg nonsense"},
             {"@@sg begin 0", "@@sg bye"}}) {
        FrameReader r({0});
        for (auto& l : lines) r.line(l);
        CHECK(r.fatal().rfind("garbled: ", 0) == 0);
    }
}

TEST_CASE("a line or a frame beyond the protocol's bounds is fatal", "[frames]") {
    FrameReader a({0});
    a.line(std::string(kMaxLine + 1, 'x'));
    CHECK_FALSE(a.fatal().empty());
    FrameReader b({0});
    b.line("@@sg begin 0");
    for (size_t i = 0; i <= kMaxFrameLines && b.fatal().empty(); ++i) b.line("@@sg ret s ret=0");
    CHECK_FALSE(b.fatal().empty());
}

TEST_CASE("a checksum that does not match is garbled", "[frames]") {
    FrameReader r({0});
    r.line("@@sg begin 0");
    r.line("@@sg ret s1 ret=0 errno=0");
    auto f = r.line(done(0, "@@sg ret s1 ret=5 errno=0\n"));
    REQUIRE(f);
    CHECK(f->status == "garbled: the frame's lines or checksum do not match what arrived");
}

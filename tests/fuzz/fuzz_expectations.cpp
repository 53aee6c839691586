// An expectations file the suite did not write: loaded or refused with a TableError, never a crash.
#include "harness/host/expectations.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    write_input("t.yaml", data, size);
    try {
        conformance::load_expectations(scratch_dir(), "t");
    } catch (const conformance::TableError&) {
    }
    return 0;
}

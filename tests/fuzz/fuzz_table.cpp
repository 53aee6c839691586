// A spec table the suite did not write: loaded or refused with a TableError, never a crash.
#include "harness/host/table.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        conformance::load_table_file(write_input("create.yaml", data, size));
    } catch (const conformance::TableError&) {
    }
    return 0;
}

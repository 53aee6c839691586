# The worker for every target: the native static one, a dynamic one that can load an implementation
# (--impl), static cross-built ones for the emulated architectures, and the initramfs that boots it in a VM.
# A cross compiler that is not installed leaves its worker unbuilt; its targets then say so and skip.
set(WORKER_DIR ${CMAKE_CURRENT_LIST_DIR})
set(WORKER_SOURCES ${WORKER_DIR}/main.cpp ${WORKER_DIR}/case.cpp ${WORKER_DIR}/ops.cpp ${WORKER_DIR}/stress.cpp
  ${WORKER_DIR}/identity.cpp ${WORKER_DIR}/entry.cpp ${WORKER_DIR}/util.cpp ${WORKER_DIR}/plans.cpp)
set(WORKER_HEADERS ${WORKER_DIR}/worker.hpp ${WORKER_DIR}/entry.hpp ${WORKER_DIR}/../common/signals.hpp)
include_directories(${PROJECT_SOURCE_DIR})

add_executable(semget-worker ${WORKER_SOURCES})
if(SEMGET_COVERAGE)
  # Its processes end in _exit: they write their coverage data themselves (harness/worker/util.cpp leave()).
  set_property(SOURCE ${WORKER_DIR}/util.cpp APPEND PROPERTY COMPILE_DEFINITIONS SEMGET_WORKER_COVERAGE=1)
endif()
target_link_options(semget-worker PRIVATE -static)
target_link_libraries(semget-worker PRIVATE ${LIBCAP_STATIC})
target_compile_definitions(semget-worker PRIVATE SEMGET_WORKER_LIBCAP=1)

add_executable(semget-worker-dyn ${WORKER_SOURCES})
target_link_libraries(semget-worker-dyn PRIVATE ${LIBCAP_STATIC} ${CMAKE_DL_LIBS})
target_compile_definitions(semget-worker-dyn PRIVATE SEMGET_WORKER_LIBCAP=1 SEMGET_WORKER_DLOPEN=1)

set(SEMGET_CROSS_WORKERS "")
function(add_cross_worker name compiler)
  find_program(CROSS_CXX_${name} ${compiler})
  if(NOT CROSS_CXX_${name})
    message(STATUS "worker ${name}: ${compiler} is not installed; its targets will be unavailable")
    return()
  endif()
  set(out ${PROJECT_BINARY_DIR}/semget-worker-${name})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CROSS_CXX_${name}} -std=c++20 -O2 -static -I${PROJECT_SOURCE_DIR} ${ARGN} -o ${out} ${WORKER_SOURCES}
    DEPENDS ${WORKER_SOURCES} ${WORKER_HEADERS}
    COMMENT "Cross-building the ${name} worker")
  add_custom_target(cross-worker-${name} ALL DEPENDS ${out})
endfunction()
add_cross_worker(i386 i686-linux-gnu-g++)
add_cross_worker(i386-time64 i686-linux-gnu-g++ -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64)
add_cross_worker(aarch64 aarch64-linux-gnu-g++)
add_cross_worker(s390x s390x-linux-gnu-g++)
add_cross_worker(ppc64le powerpc64le-linux-gnu-g++)

# The VM target boots the native worker as /init. cpio builds the archive; no root or device nodes needed.
find_program(CPIO cpio)
if(CPIO)
  set(initramfs ${PROJECT_BINARY_DIR}/semget-initramfs.cpio.gz)
  add_custom_command(OUTPUT ${initramfs}
    COMMAND ${CMAKE_COMMAND} -E rm -rf initramfs-root
    COMMAND ${CMAKE_COMMAND} -E make_directory initramfs-root
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:semget-worker> initramfs-root/init
    COMMAND sh -c "cd initramfs-root && echo init | cpio -o -H newc --quiet | gzip -9 > '${initramfs}'"
    DEPENDS semget-worker
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    COMMENT "Packing the worker into an initramfs"
    VERBATIM)
  add_custom_target(semget-initramfs ALL DEPENDS ${initramfs})
else()
  message(STATUS "initramfs: cpio is not installed; the vm targets will be unavailable")
endif()

if(SEMGET_SANITIZE)
  # A static executable cannot load the ASan runtime; undefined behaviour traps instead (no runtime needed).
  foreach(static_target semget-worker)
    target_compile_options(${static_target} PRIVATE -fno-sanitize=all -fsanitize=undefined -fsanitize-undefined-trap-on-error)
    target_link_options(${static_target} PRIVATE -fno-sanitize=all)
  endforeach()
endif()

// Helpers for the backend tests: recognizable 4 MiB objects and error-code assertions.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"

namespace infinitree::testing_backend {

// A full object whose every byte is `fill`: torn or mixed objects are easy to spot.
inline std::vector<uint8_t> object_of(uint8_t fill) { return std::vector<uint8_t>(kObjectSize, fill); }

// Runs `f` and checks it throws infinitree::Error with `code`; returns the message.
inline std::string expect_error(Errc code, const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << "message: " << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected infinitree::Error(" << errc_name(code) << "), got " << e.what();
    return {};
  }
  ADD_FAILURE() << "expected infinitree::Error(" << errc_name(code) << "), nothing thrown";
  return {};
}

}  // namespace infinitree::testing_backend

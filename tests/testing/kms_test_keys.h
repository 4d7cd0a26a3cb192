// Generated key material for the KMS unit tests, cached per test binary
// (RSA key generation takes up to seconds, so each (spec, instance) pair is
// generated once), and the list of specs gee implements.
//
// Thread-safety: the cache is guarded by a mutex.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/random.h"
#include "crypto/secret_bytes.h"
#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"

namespace gee::testing {

// The serialised material of test key number `instance` of `spec`, generated
// on first use. Symmetric and HMAC material comes from a DeterministicRandom
// seeded by (spec, instance); key pairs come from OpenSSL.
inline crypto::SecretBytes CachedSerializedMaterial(kms::KeySpec spec, int instance = 0) {
  static std::mutex mu;
  static std::map<std::pair<int, int>, crypto::SecretBytes> cache;
  std::lock_guard<std::mutex> lock(mu);
  const std::pair<int, int> slot(static_cast<int>(spec), instance);
  auto it = cache.find(slot);
  if (it == cache.end()) {
    DeterministicRandom random(1000 + 100 * static_cast<uint64_t>(spec) +
                               static_cast<uint64_t>(instance));
    auto material = kms::KeyMaterial::Generate(spec, random);
    if (!material.ok()) {
      ADD_FAILURE() << "Generate(" << kms::Name(spec) << ") failed: "
                    << material.error().message;
      return {};
    }
    it = cache.emplace(slot, (*material)->serialized().Clone()).first;
  }
  return it->second.Clone();
}

// Cached material loaded as a KeyMaterial (null after a test failure).
inline std::unique_ptr<kms::KeyMaterial> CachedMaterial(kms::KeySpec spec, int instance = 0) {
  auto material = kms::KeyMaterial::Load(spec, CachedSerializedMaterial(spec, instance));
  if (!material.ok()) {
    ADD_FAILURE() << "Load(" << kms::Name(spec) << ") failed: " << material.error().message;
    return nullptr;
  }
  return std::move(material).value();
}

// Every spec gee implements.
inline std::vector<kms::KeySpec> SupportedKeySpecs() {
  std::vector<kms::KeySpec> specs;
  for (kms::KeySpec spec : kms::AllKeySpecs()) {
    if (kms::IsSupported(spec)) specs.push_back(spec);
  }
  return specs;
}

}  // namespace gee::testing

export const id = 879;
export const ids = [879];
export const modules = {

/***/ 2879:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.manifest = void 0;
const helm_json_1 = __importDefault(__webpack_require__(1490));
const trivy_json_1 = __importDefault(__webpack_require__(3894));
const cosign_json_1 = __importDefault(__webpack_require__(9257));
exports.manifest = {
    tools: {
        helm: helm_json_1.default,
        trivy: trivy_json_1.default,
        cosign: cosign_json_1.default,
    },
};


/***/ }),

/***/ 9257:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"binary":"cosign","defaultVersion":"3.1.3","defaultBaseUrl":"https://github.com/sigstore/cosign/releases/download","versionArgs":["version","--json"],"source":"cosign ships raw binaries; sha256 = the cosign-linux-<arch> lines of https://github.com/sigstore/cosign/releases/download/v<version>/cosign_checksums.txt. 3.1.3: amd64 4629c757… and arm64 c5d324e0… (quoted from that file, with its URL, by several public pins, e.g. Kubernetes release staging scripts and install scripts citing cosign_checksums.txt). 3.0.6: amd64 c956e5df… / arm64 bedac92e… (cosign_checksums.txt of v3.0.6 and the bootstrap_linux_*_sha of sigstore/cosign-installer, whose default is v3.0.6). The tests run cosign 3.1.3 built from source through the Go module proxy (scripts/setup/cosign.sh; same version, different bytes than the release binary: its SHA-256 is not the pinned one), named through POLYGLOT_CD_COSIGN_BIN, never accepted through this manifest.","versions":{"3.1.3":{"linux-amd64":{"file":"v3.1.3/cosign-linux-amd64","format":"binary","sha256":"4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71","binarySha256":"4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71"},"linux-arm64":{"file":"v3.1.3/cosign-linux-arm64","format":"binary","sha256":"c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a","binarySha256":"c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a"}},"3.0.6":{"linux-amd64":{"file":"v3.0.6/cosign-linux-amd64","format":"binary","sha256":"c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74","binarySha256":"c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74"},"linux-arm64":{"file":"v3.0.6/cosign-linux-arm64","format":"binary","sha256":"bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8","binarySha256":"bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8"}}}}');

/***/ }),

/***/ 1490:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"binary":"helm","defaultVersion":"4.2.4","defaultBaseUrl":"https://get.helm.sh","versionArgs":["version","--template","{{.Version}}"],"source":"3.10.1: archive sha256 https://get.helm.sh/helm-v3.10.1-linux-amd64.tar.gz.sha256sum, binary sha256 of linux-amd64/helm from that archive. 4.2.4: archive sha256 values as published in the v4.2.4 release notes (https://github.com/helm/helm/releases/tag/v4.2.4, each also at https://get.helm.sh/helm-v4.2.4-<platform>.tar.gz.sha256sum); no binary sha256 is published, so a helm 4 on PATH is not trusted (the verified download or tool cache is used). 3.22.0 (the newest Helm 3): archive sha256 values as published in the v3.22.0 release notes (https://github.com/helm/helm/releases/tag/v3.22.0), linux only The tests run Helm 4.2.4 and 3.22.0 built from source through the Go module proxy (scripts/setup/helm.sh; same version, different bytes than the release archive), named through POLYGLOT_CD_HELM_BIN, never accepted through this manifest.","versions":{"3.10.1":{"linux-amd64":{"file":"helm-v3.10.1-linux-amd64.tar.gz","format":"tar.gz","pathInArchive":"linux-amd64/helm","sha256":"c12d2cd638f2d066fec123d0bd7f010f32c643afdf288d39a4610b1f9cb32af3","binarySha256":"8c375d1016b2c9754bad8da3ed07ce33c0f9af3bad8890e61737f5137be7396d"}},"4.2.4":{"linux-amd64":{"file":"helm-v4.2.4-linux-amd64.tar.gz","format":"tar.gz","pathInArchive":"linux-amd64/helm","sha256":"c306b46f719b0a4da32d0f78ee21bf90ce8d602f15b22ab753f0674d1670a7f3"},"linux-arm64":{"file":"helm-v4.2.4-linux-arm64.tar.gz","format":"tar.gz","pathInArchive":"linux-arm64/helm","sha256":"564de2191b881e9f71b5606b25345821ea1682f06ab90499d3ab22b530176da1"},"darwin-amd64":{"file":"helm-v4.2.4-darwin-amd64.tar.gz","format":"tar.gz","pathInArchive":"darwin-amd64/helm","sha256":"6c163d687ca03c3b5c01928e53bbbcf9518278f47ce7a2f249a5a08e8bdaa2bc"},"darwin-arm64":{"file":"helm-v4.2.4-darwin-arm64.tar.gz","format":"tar.gz","pathInArchive":"darwin-arm64/helm","sha256":"d747eb4e28bd2727173d15b759fa0a17822291ec09db7ced3d55af290a3661a2"}},"3.22.0":{"linux-amd64":{"file":"helm-v3.22.0-linux-amd64.tar.gz","format":"tar.gz","pathInArchive":"linux-amd64/helm","sha256":"1e4ab49e429626cf6c6958d914248b78c9730803c2751b87627e171dc800e7bb"},"linux-arm64":{"file":"helm-v3.22.0-linux-arm64.tar.gz","format":"tar.gz","pathInArchive":"linux-arm64/helm","sha256":"f14e804dfee240f55525b667488fe9adca349e63e00c9af634c0beb1421ac310"}}}}');

/***/ }),

/***/ 3894:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"binary":"trivy","defaultVersion":"0.74.0","defaultBaseUrl":"https://github.com/aquasecurity/trivy/releases/download","versionArgs":["version","--format","json"],"source":"archive sha256: the values of trivy_0.74.0_checksums.txt at https://github.com/aquasecurity/trivy/releases/tag/v0.74.0. That file could not be fetched from this (offline) machine; the values were taken from independent public pins that check them with sha256sum -c against the release (linux-amd64 2ae6fe3e... in many repositories, e.g. a scanner script citing \'Official GitHub release asset SHA256 values\' of v0.74.0; linux-arm64 b94ce197... and the macOS values in a generated pin file listing all four assets). Re-check against the checksums file when bumping. No binarySha256: upstream publishes no hash of the binary inside the archive, so a trivy already on PATH is never trusted; only a verified download or the tool cache is used. The tests run trivy 0.74.0 built from source through the Go module proxy (scripts/setup/trivy.sh; same version, different bytes than the release archive), named through POLYGLOT_CD_TRIVY_BIN, never accepted through this manifest.","refused":{"0.69.4":"compromised release: published by an attacker with stolen release credentials during the Trivy supply-chain incident of March 2026 (GHSA-69fq-xp46-6x23; 0.69.4-0.69.6 are refused)","0.69.5":"compromised release: published by an attacker with stolen release credentials during the Trivy supply-chain incident of March 2026 (GHSA-69fq-xp46-6x23; 0.69.4-0.69.6 are refused)","0.69.6":"compromised release: published by an attacker with stolen release credentials during the Trivy supply-chain incident of March 2026 (GHSA-69fq-xp46-6x23; 0.69.4-0.69.6 are refused)"},"versions":{"0.74.0":{"linux-amd64":{"file":"v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz","format":"tar.gz","pathInArchive":"trivy","sha256":"2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a"},"linux-arm64":{"file":"v0.74.0/trivy_0.74.0_Linux-ARM64.tar.gz","format":"tar.gz","pathInArchive":"trivy","sha256":"b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5"}}}}');

/***/ })

};

// Jest globalSetup: the local base images every example and fixture task builds FROM.
// Skips work already done, so it costs a second when the images exist.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync(path.join(__dirname, '..', '..', 'scripts', 'base-images.sh'), { stdio: 'inherit' });
};

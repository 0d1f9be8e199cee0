#!/bin/sh
set -e
echo '<h1>alive</h1>' > /srv/www/index.html
# A background job the agent leaves behind: it must still answer when the verifier runs.
httpd -f -p 8080 -h /srv/www &
sleep 0.5

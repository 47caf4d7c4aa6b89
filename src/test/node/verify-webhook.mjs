// The Standard Webhooks reference verifier (npm standardwebhooks), unchanged: reads one delivery as JSON on stdin
// ({secret, headers, body}), verifies it, and prints {"verified": true, "payload": ...} or {"verified": false, "error"}.
import { Webhook } from 'standardwebhooks';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const delivery = JSON.parse(input);
try {
  const payload = new Webhook(delivery.secret).verify(delivery.body, delivery.headers);
  console.log(JSON.stringify({ verified: true, payload }));
} catch (error) {
  console.log(JSON.stringify({ verified: false, error: String(error && error.message || error) }));
}

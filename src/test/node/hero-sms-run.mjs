// Runs the public hero-sms client (npm hero-sms, pinned in package-lock.json) unchanged but for its base URL through
// every method it has, against a running node. Environment: BASE_URL (the node), API_KEY (a funded customer),
// ADMIN_TOKEN (to make the sandbox send SMS). Prints one JSON line per method called, then {"done": [...methods]}; any
// failed expectation exits non-zero with the reason.
import assert from 'node:assert/strict';
import { HeroSMSClient, HeroSMSError, NoNumbersError, EarlyCancelError, AuthenticationError } from 'hero-sms';

const base = process.env.BASE_URL;
const client = new HeroSMSClient({ apiKey: process.env.API_KEY, baseUrl: `${base}/stubs/handler_api.php`, timeout: 10000 });
const called = new Set();
const log = (method, result) => {
  called.add(method);
  console.log(JSON.stringify({ method, result }));
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sms = async (id, text) => {
  const r = await fetch(`${base}/admin/v1/sandbox/activations/${id}/sms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  assert.equal(r.status, 200, `sandbox sms: ${await r.text()}`);
};
const rejects = async (method, promise, type) => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `${method}: expected ${type.name}, got ${error}`);
    log(method, { error: error.constructor.name, code: error.code });
    return;
  }
  assert.fail(`${method} should have failed with ${type.name}`);
};

// account and catalogue
const balance = await client.getBalance();
assert.equal(balance, 20);
log('getBalance', balance);

const countries = await client.getCountries();
assert.equal(countries['0'].visible, 1);
assert.equal(countries['0'].retry, 1);
assert.equal(countries['0'].rent, 1);
log('getCountries', countries['0']);

const services = await client.getServicesList({ country: 0, lang: 'en' });
assert.equal(services.status, 'success');
assert.ok(services.services.some((s) => s.code === 'tg'));
log('getServicesList', services.services.length);

const operators = await client.getOperators(0);
assert.equal(operators.status, 'success');
assert.ok(operators.countryOperators['0'].includes('any'));
log('getOperators', operators.countryOperators['0']);

const prices = await client.getPrices({ service: 'tg', country: 0 });
assert.equal(prices['0'].tg.cost, 0.5);
log('getPrices', prices['0'].tg);

const top = await client.getTopCountriesByService({ service: 'tg', freePrice: true });
assert.equal(top['0'].country, 0);
assert.equal(top['0'].price, 0.5);
assert.ok(top['0'].freePriceMap['0.50'] > 0);
log('getTopCountriesByService', top['0']);

// activation 1: poll, retry, every SMS, finish; then reactivate it
const first = await client.getNumber({ service: 'tg', country: 0 });
assert.match(first.phoneNumber, /^7\d{10}$/);
log('getNumber', first);
assert.equal(await client.setStatus(first.activationId, 1), 'ACCESS_READY');
log('setStatus', 'ACCESS_READY');
assert.equal(await client.markReady(first.activationId), 'ACCESS_READY');
log('markReady', 'ACCESS_READY');
assert.deepEqual(await client.getStatus(first.activationId), { status: 'STATUS_WAIT_CODE' });
await sms(first.activationId, 'Telegram code 11111');
const ok = await client.getStatus(first.activationId);
assert.deepEqual(ok, { status: 'STATUS_OK', code: '11111' });
log('getStatus', ok);
const v2 = await client.getStatusV2(first.activationId);
assert.equal(v2.sms.code, '11111');
log('getStatusV2', v2);
assert.equal(await client.requestResend(first.activationId), 'ACCESS_RETRY_GET');
log('requestResend', 'ACCESS_RETRY_GET');
assert.deepEqual(await client.getStatus(first.activationId), { status: 'STATUS_WAIT_RETRY', code: '11111' });
await sms(first.activationId, 'Telegram code 22222');
const all = await client.getAllSms({ id: String(first.activationId), size: 10, page: 1 });
assert.deepEqual(all.data.map((s) => s.code), ['11111', '22222']);
assert.equal(all.meta.total, 2);
log('getAllSms', all);
assert.equal(await client.complete(first.activationId), 'ACCESS_ACTIVATION');
log('complete', 'ACCESS_ACTIVATION');

const reactivationPrice = await client.getReactivationPrice(first.activationId);
assert.equal(reactivationPrice.data.price, 0.5);
log('getReactivationPrice', reactivationPrice);
const again = await client.reactivate(first.activationId);
assert.equal(again.phoneNumber, first.phoneNumber);
assert.notEqual(String(again.activationId), String(first.activationId));
log('reactivate', again);

const active = await client.getActiveActivations({ start: 0, limit: 10 });
assert.equal(active.status, 'success');
assert.deepEqual(active.data.map((a) => a.activationId), [String(again.activationId)]);
log('getActiveActivations', active.data.length);
await sms(again.activationId, 'Telegram code 33333');
assert.equal(await client.finishActivation(again.activationId), undefined);
log('finishActivation', 'done');

// activation 2 (V2): cancelled too early, then after the minimum delay
const second = await client.getNumberV2({ service: 'tg', country: 0, maxPrice: 1 });
assert.equal(second.activationCost, 0.5);
log('getNumberV2', second);
await rejects('cancel', client.cancel(second.activationId), EarlyCancelError);
await sleep(1300);
assert.equal(await client.cancel(second.activationId), 'ACCESS_CANCEL');
log('cancel', 'ACCESS_CANCEL');

// activation 3: cancelled through Hero's cancelActivation
const third = await client.getNumber({ service: 'tg', country: 0 });
await sleep(1300);
assert.equal(await client.cancelActivation(third.activationId), undefined);
log('cancelActivation', 'done');

const history = await client.getHistory({ size: 10 });
assert.ok(history.length >= 4);
log('getHistory', history.length);

const rank = await client.getTopCountriesByServiceRank({ service: 'tg' });
assert.equal(rank['0'].country, 0);
assert.ok('deliveryRate' in rank['0']);
log('getTopCountriesByServiceRank', rank['0']);

// rentals, lengths as Hero's clients send them (duration, in hours)
const rentPrices = await client.getRentPrices({ service: 'full', country: 0 });
assert.deepEqual(rentPrices['0']['24'], { price: 2.4, count: 20 });
log('getRentPrices', rentPrices['0']);
const rentCatalogue = await client.getRentServicesAndCountries({ country: 0, duration: 24 });
assert.equal(rentCatalogue.services.full.price, 2.4);
log('getRentServicesAndCountries', rentCatalogue.services.full);
const rented = await client.getRentNumber({ service: 'full', country: 0, duration: 24 });
assert.equal(rented.status, 'success');
log('getRentNumber', rented);

// refusals arrive as the client's typed errors
await rejects('getNumber', client.getNumber({ service: 'ig', country: 0 }), NoNumbersError);
await rejects('getNumberV2', client.getNumberV2({ service: 'tg', country: 0, maxPrice: 0.1 }), HeroSMSError);
await rejects('getBalance', new HeroSMSClient({ apiKey: 'wrong', baseUrl: `${base}/stubs/handler_api.php` }).getBalance(),
  AuthenticationError);

console.log(JSON.stringify({ done: [...called].sort() }));

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parsePhoneNumberFromString as maxParse } from 'libphonenumber-js/max';
const nums = ['06 12 34 56 78','+33 6 12 34 56 78','0033612345678','+33 (0)6 12 34 56 78','06.12.34.56.78','0690 12 34 56','+590 690 12 34 56', '0262 12 34 56', '0123456789', '0612345678'];
for (const n of nums) { const p = parsePhoneNumberFromString(n.replace('(0)',''), 'FR'); console.log(n, p?.number, p?.isValid(), p?.country); }
let t = performance.now(); let k=0;
for (let i=0;i<200000;i++){ const p = parsePhoneNumberFromString('06 12 34 '+String(10+i%90)+' 78', 'FR'); if (p?.isValid()) k++; }
console.log('min', (performance.now()-t)/200000*1000, 'us', k);
t = performance.now(); k=0;
for (let i=0;i<200000;i++){ const p = maxParse('06 12 34 '+String(10+i%90)+' 78', 'FR'); if (p?.isValid()) k++; }
console.log('max', (performance.now()-t)/200000*1000, 'us', k);

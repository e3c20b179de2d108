// Passkey enrolment for the passkey scenario: not written yet (see README.md,
// "Not done"). run.sh skips the passkey row when this fails.
console.error('enroll.mjs: passkey enrolment is not implemented yet');
process.exit(1);

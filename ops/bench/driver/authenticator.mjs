export class Authenticator { static load() { throw new Error("todo"); } }

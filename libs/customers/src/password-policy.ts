import { Injectable } from '@nestjs/common';
import { PasswordRules } from './password-rules';

export type { PolicyViolation } from './password-rules';

/** The password rule (PasswordRules) as the services inject it. */
@Injectable()
export class PasswordPolicy extends PasswordRules {}

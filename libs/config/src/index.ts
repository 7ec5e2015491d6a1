export { AppConfig, ConfigValidationError, loadConfig, RetentionConfig } from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';

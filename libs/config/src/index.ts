export { AppConfig, ConfigValidationError, loadConfig, RedisNode, RedisTopology, RetentionConfig } from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';
